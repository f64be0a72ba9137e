"""Chinese (简体中文): how whyrec says and reads reasons (推荐理由).

Patterns use the placeholders of generation.phrasing (``{s}`` subject, ``{o}`` object, ``{n}`` a
count, ``{a}`` the noun for counted people, ``{score}``) with no spaces: Chinese writes words
together, so the reader (generation.claims_zh) finds labels and phrases by longest match over
characters. A pattern may close its object with a tail ("{s}常与{o}一起购买": head 常与, tail
一起购买); the reader accepts a tail only after its own head in the same clause.

Counts are written in digits with a measure word ("12位顾客"); the reader also takes Chinese
numerals (十二, 两, 一百二十).
"""
from __future__ import annotations

NAME = "中文"
SPACED = False
AUDIENCE = "顾客"
YOU = "你"  # the user, as sentences and the model input say them

# "patterns": a node is the subject; "user": the user is ("你..."); "score": the user's fact with a
# score; "crowd": counted people are; "verbs": more heads the reader accepts (never written);
# "inverse": "{o}HEAD{s}" heads (the object named first), read only; "read": more patterns read,
# never written (how template authors also say it: "你偏好{o}产品", "{s}正是{o}产品").
RELATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "purchased": {"user": ("你买过{o}", "你购买过{o}", "你购买了{o}", "你下单了{o}"),
                  "crowd": ("{n}位{a}买过{o}", "{n}位{a}购买了{o}", "{n}位{a}都买过{o}"),
                  "verbs": ("买过", "购买过", "购买了", "下单了", "买了", "下单过", "入手了", "买"),
                  "inverse": ()},
    "rated": {"user": ("你评价过{o}", "你给{o}打过分"),
              "score": ("你给{o}打了{score}星", "你给{o}评了{score}星", "你为{o}打出{score}星"),
              "crowd": ("{n}位{a}评价过{o}", "{n}位{a}给{o}打过分"),
              # "你打了5星的X": the rating said before what it rates
              "verbs": ("评价过", "评价了", "评分了", "打了", "评了", "打出"), "inverse": ()},
    "viewed": {"user": ("你浏览过{o}", "你看过{o}", "你查看过{o}"),
               "crowd": ("{n}位{a}浏览过{o}", "{n}位{a}看过{o}"),
               "verbs": ("浏览过", "看过", "查看过", "浏览了", "看了", "查看了"), "inverse": ()},
    "reviewed": {"user": ("你评论过{o}", "你写过{o}的评价"), "crowd": ("{n}位{a}评论过{o}",),
                 "verbs": ("评论过", "评论了"), "inverse": ()},
    "prefers": {"user": ("你喜欢{o}", "你偏爱{o}", "你选择了{o}", "你告诉我们你喜欢{o}"),
                "crowd": ("{n}位{a}喜欢{o}",), "verbs": ("喜欢", "偏爱", "选择了", "钟爱", "喜爱", "偏好"), "inverse": (),
                "read": ("你偏好{o}产品", "你喜欢{o}产品", "你喜爱{o}产品")},
    "brand": {"patterns": ("{s}出自{o}", "{s}来自{o}", "{s}来自{o}品牌", "{s}由{o}出品"),
              "verbs": ("出自", "来自", "产自"), "inverse": ("旗下有",)},
    "category": {"patterns": ("{s}属于{o}", "{s}是一款{o}", "{s}归属{o}"), "verbs": ("属于", "归属", "是一款", "同属"),
                 "inverse": ()},
    "parent": {"patterns": ("{s}隶属于{o}", "{s}归于{o}"), "verbs": ("隶属于", "归于"), "inverse": ()},
    "ingredient": {"patterns": ("{s}含有{o}", "{s}添加了{o}", "{s}含{o}", "{s}的成分包括{o}"),
                   "verbs": ("含有", "添加了", "含", "的成分包括", "包含"), "inverse": ()},
    "material": {"patterns": ("{s}采用{o}", "{s}由{o}制成"), "verbs": ("采用", "使用"), "inverse": ()},
    "colour": {"patterns": ("{s}有{o}色", "{s}的颜色是{o}", "{s}为{o}色调"), "verbs": ("的颜色是", "的色号是"),
               "inverse": ()},
    "finish": {"patterns": ("{s}呈现{o}妆效", "{s}的妆效是{o}", "{s}带来{o}效果"), "verbs": ("呈现", "的妆效是", "带来"),
               "inverse": (), "read": ("{s}是{o}效果", "{s}是{o}妆效")},
    "suits": {"patterns": ("{s}适合{o}", "{s}适用于{o}", "{s}专为{o}设计"), "verbs": ("适合", "适用于", "专为"),
              "inverse": ()},
    "claim": {"patterns": ("{s}是{o}产品", "{s}标有{o}", "{s}通过了{o}认证"), "verbs": ("标有",), "inverse": (),
              "read": ("{s}正是{o}产品", "{s}都是{o}产品")},
    "also_bought": {"patterns": ("{s}常与{o}一起购买", "{s}也常和{o}一起被购买", "{s}常和{o}一起被买"),
                    "verbs": ("常与", "也常和", "常和", "经常与"), "inverse": ()},
    "also_viewed": {"patterns": ("{s}常与{o}一起浏览", "{s}常和{o}一起被浏览"), "verbs": ("常与", "常和"),
                    "inverse": ()},
    "bought_together": {"patterns": ("{s}可搭配{o}", "{s}适合搭配{o}", "{s}可与{o}搭配使用"),
                        "verbs": ("可搭配", "适合搭配", "可与", "搭配"), "inverse": (),
                        "read": ("{s}常与{o}一起购买", "{s}常和{o}一起购买")},
    "price": {"patterns": ("{s}售价{o}", "{s}的价格是{o}", "{s}价格为{o}"), "verbs": ("售价", "的价格是", "价格为", "售价为"),
              "inverse": ()},
    "budget": {"user": ("你的预算是{o}", "你设定的预算为{o}", "你的预算为{o}"),
               # "低于你的预算40": the budget said without a verb, as English says "your budget of 40"
               "verbs": ("你的预算是", "你设定的预算为", "你的预算为", "预算为", "预算是", "你的预算", "预算"),
               "inverse": ()},
    "size": {"patterns": ("{s}规格为{o}", "{s}的尺寸是{o}"), "verbs": ("规格为", "的尺寸是"), "inverse": ()},
}
# A shop's own relation, said with its label (or name) in Chinese text: "{s}的<label>是{o}".
OWN_PATTERN = "{s}的{rel}是{o}"
# Two subjects sharing one object: "A和B都出自X" ("都" before the head).
BOTH = "都"

# -- the closed list the reader accepts besides labels, phrases and numbers -----------------------
USER_WORDS = frozenset({"你", "您", "你的", "您的"})
CONJUNCTIONS = frozenset({"和", "与", "及", "以及", "跟"})
# Grammatical words that claim nothing: "also", "both", "and so", the particles of a clause.
CONNECTIVES = frozenset({"也", "都", "还", "同样", "并且", "而且", "的", "了", "这款", "该"})
# Nouns of node kinds ("你喜爱的品牌X": the brand X): they name no node and claim nothing.
TYPE_WORDS = frozenset({"品牌", "产品", "商品", "品类", "类别", "成分", "肤质", "系列", "款"})
LIKE_END = frozenset({"一样", "一样的"})  # 和X一样: like X
NEGATIONS = frozenset({"不", "没", "没有", "未", "从未", "从没", "并非", "不是", "无", "别", "非"})
# Nouns a sentence may count people with; the catalog's accepted ones are the verifier's call.
CROWD_NOUNS = frozenset({"顾客", "用户", "买家", "消费者", "人", "读者", "观众", "会员"})
NEUTRAL_AUDIENCE = frozenset({"顾客", "人", "用户"})
MEASURES = frozenset({"位", "名", "个"})  # 12位顾客
STARS = frozenset({"星", "颗星", "分", "星级"})
CURRENCY_BEFORE = frozenset({"¥", "￥", "$"})
CURRENCY_AFTER = frozenset({"元", "块"})
OR_MORE = frozenset({"以上", "或以上", "及以上"})
COMPARISONS = {"低于": "<", "少于": "<", "不超过": "<=", "不高于": "<=", "高于": ">", "超过": ">", "多于": ">",
               "不低于": ">="}
AT_LEAST = frozenset({"至少"})  # 至少4星: the value's own operator
OTHERS = frozenset({"其他", "其他的", "另外"})  # 12位其他顾客
COMMAS = frozenset({"，", ",", "、"})
HARD = frozenset({"。", "！", "？", "；", "：", ".", "!", "?", ";", ":"})
RELATIVE = frozenset()  # Chinese puts the relative clause before its noun: "你买过的X"
PRONOUNS = frozenset({"它", "它们", "这", "该产品"})
POSSESSIVE = frozenset({"其", "它的"})  # 其X: X of the thing just named
LIKE = frozenset({"像", "如同"})
# Chinese numerals: digits, and the powers they multiply.
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
POWERS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def numeral_value(text: str) -> int | None:
    """A Chinese numeral as a number: 十二 -> 12, 两 -> 2, 一百二十 -> 120, 三千零五 -> 3005, 二十万 -> 200000.
    None when ``text`` is not one."""
    if not text or len(text) > 12 or any(c not in DIGITS and c not in POWERS for c in text):
        return None
    total, section, digit = 0, 0, None
    for c in text:
        if c in DIGITS:
            if digit is not None and DIGITS[c] != 0:
                return None  # "一二": two digits in a row is no numeral
            digit = DIGITS[c] if DIGITS[c] != 0 else None
            continue
        p = POWERS[c]
        if p == 10000:
            section = (section + (digit or 0)) or 1
            total, section, digit = total + section * p, 0, None
            continue
        section += (1 if digit is None else digit) * p
        digit = None
    return total + section + (digit or 0)


def join_names(names: tuple[str, ...] | list[str]) -> str:
    """'A和B', 'A、B和C'."""
    names = list(names)
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def count_text(n: int | str) -> str:
    """How a count is written: digits (the reader also takes 十二, 两)."""
    return str(n)
