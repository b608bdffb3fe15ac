"""Checks of Chinese translations: Simplified in Traditional, punctuation.

(A Chinese translation without Chinese characters is ``script``'s ``wrong-script``.)

Markup (code, link targets, web URLs) is set aside first, roughly
(``markup.ROUGH_MARKUP_BUT_TAGS``): its punctuation is not Chinese text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from translatio.languages import Language
from translatio.qa.findings import Check, Severity
from translatio.text.markup import ROUGH_MARKUP_BUT_TAGS

__all__ = ["CHINESE_CHECKS"]

_HALF_WIDTH_IN_HAN = re.compile(r"[\u4e00-\u9fff][,.!?:;](?!\d)|[,!?:;][\u4e00-\u9fff]")
_SPACE_BETWEEN_HAN = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")
# Characters that exist only in Simplified Chinese (their Traditional forms differ).
_SIMPLIFIED_ONLY = frozenset(
    "们这个说国时会对发经过还进么为学问长开关门车东马见话语书买卖间来实现当头体"
    "与专业丝两严丧丰临举义乐习乡书亲产亿仅从仑仓仪价众优伤伦伟传伪体侠侣侧侨"
    "债倾偿储儿党兰关兴养兽冈册军农冯冲决况冻净凉减凤凭击凿刘则刚创删别刹"
    "剂剑剧劝办务动励劳势勋区医华协单卖卢卫却厂厅历压厌县参双变叙叶号叹吗吴"
    "员听启呜响哑哟唤园围图圆圣场坏块坚坛坟垄垒垦执报壮声处备复够头夹夺奋奖"
    "妇妈娄娱婴孙宁宝实宠审宪宫宽宾对寻导寿将尔尘层届属岁岂岗岛峡币师帐带帮"
    "广庄庆库应庙废开异弃张弥弯归录彻径忆忧怀态怜总恋恒恳恶悦惊惧惨惯愤"
    "愿戏战户扑执扩扫扬扰抚抛抢护报担拟拢拥择挂挡挣挤挥损换据掷揽摄摆摇撑敌"
    "数斋断无旧时旷昙显晋晓晕暂术机杀杂权条来杨极构枪标样档桥梦检楼横欢欧"
    "毁毕气汇汉污汤沟没沦泪泽洁浅浇测济浑浓涂涛涝润涨渊渐渔温湾湿满滚滞滤灭"
    "灯灵灾炉点炼烂烟烦烧热爱爷牵犹狮独狱猎献环现玛珑琐电画畅疗疟疮疯痒痴"
    "盏盐监盖盘眯着矫矿码砖础确碍礼祸离种积称窃窍竞笔笼筑签简粮紧纠红约级纪"
    "纯纲纳纵纷纸纹线练组细织终经结绕绘给络绝统继绩续维综绿缓编缘缩缴网罗罚"
    "罢职联聪肃肠肤肿胀胁胜脉脏脑脚脱艰艺节芦苏苹荐荣药莱获营萧虏虑虚虽"
    "蚀蛮补装见观规视览觉触誉计订认讨让训议讯记讲讳许论设访证评识诉词译试诗"
    "诚话诞询该详语误说请诸读课谁调谈谋谓谢谣谦谨谱贝贞负贡财责贤败货质贩贫"
    "贯贴贵费贸资赏赔赖赚赛赞赠赢赵赶趋跃践踪轨轮软轰轻载较辆辈辉辑输辞边达迁"
    "过迈运还这进远违连迟适选递逻遗邮邻郑酱释钟钢钥钱铁铜银铺链销锁锅错键镇镜"
    "长门闪闭问闯闲间闹闻阀阁阅队阳阴阵阶际陆陈降险随隐隶难雾静韩页顶项顺须"
    "顾顿预领频颗题额风飞饭饮饰饱馆马驱驳驾验骑骗骚鱼鲁鲜鸟鸡鸣鹅麦黄齐齿龙"
)


def _simplified(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    if language.code == "zh_TW":
        simplified = sorted({char for char in target if char in _SIMPLIFIED_ONLY})
        if simplified:
            yield (
                "simplified-in-traditional",
                Severity.WARNING,
                f"Simplified characters in a Traditional Chinese text: {''.join(simplified[:8])}",
            )


def _chinese_punctuation(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    if not language.is_chinese:
        return
    plain = ROUGH_MARKUP_BUT_TAGS.sub("", target)
    if _HALF_WIDTH_IN_HAN.search(plain):
        yield (
            "half-width-punctuation",
            Severity.WARNING,
            "half-width punctuation in Chinese text (use ，。！？：；)",
        )
    if _SPACE_BETWEEN_HAN.search(plain):
        yield "space-between-han", Severity.WARNING, "spaces between Chinese characters"


CHINESE_CHECKS: tuple[Check, ...] = (_simplified, _chinese_punctuation)
"""The checks that apply to Chinese translations (other languages pass them)."""
