"""The publish stage: editions, their pages, the site around them and the review pages.

* ``edition``: a catalog's translations substituted into the source (policies);
* ``render``, ``pages``, ``edition_page``, ``page_titles``: HTML pages, sanitised;
* ``site``: links between languages, the switcher and the index;
* ``review_page``: source and translation side by side, worst first;
* ``messages``, ``language_names`` (and ``locale/``): translatio's own words on its pages.
"""
