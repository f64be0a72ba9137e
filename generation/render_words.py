"""The page's own words per language (title, summary, legend, verdict marks): everything the page
says besides the reasons and the shop's labels. Keys are the same in every language. They are the
project's own constants and go into the page as they are (no markup, no quotes in them); the
shop's data around them is escaped by generation.render.

>>> words("zh")["verified"]
'✓ 已核实'
"""
from __future__ import annotations

from generation.lang import get_language

_EN = {
    "you": "you", "user": "user {user}", "title_one": "Why {item} for {whom}", "title_many": "Why these items for {whom}",
    "this_item": "this item", "items_nav": "Items", "heading": "Why {item}",
    "summary": "{n} reason{s}, each a chain of facts from your own history and the shop's catalogue. "
               "Choose one to highlight its chain; hover a node for details.",
    "none": "No reasons to show", "cut": "The search was cut short, so there may be more reasons than these.",
    "reasons": "Reasons", "by_model": "the model", "by_template": "a template", "meta": "rule {rule} · said by {said}",
    "picture": "The facts behind each reason, from you to {item}",
    "no_js": "The picture needs JavaScript; the reasons are listed beside it.",
    "verified": "✓ verified", "verified_tip": "every claim in it was checked against the shop's data",
    "template": "⚠ template", "template_tip": "said by a fixed template; its claims were not all checked",
    "unverified": "⚠ unverified", "unverified_tip": "some claims in it could not be checked",
    "legend": "How to read the picture", "key_you": "You", "key_item": "the recommended item",
    "key_node": "from the shop's catalogue", "key_crowd": "other shoppers: counted, never named",
    "key_line": "a fact; its colour is the swatch of its reason", "key_star": ", ★ a rating",
}
_ZH = {
    "you": "你", "user": "用户 {user}", "title_one": "为什么向{whom}推荐{item}", "title_many": "为什么向{whom}推荐这些商品",
    "this_item": "这件商品", "items_nav": "商品", "heading": "为什么推荐{item}",
    "summary": "{n}条推荐理由，每条都是一串来自你自己的记录和商店目录的事实。选择一条可突出它的事实链；"
               "把鼠标停在节点上可查看详情。",
    "none": "没有可显示的理由", "cut": "搜索提前结束，可能还有更多理由。",
    "reasons": "推荐理由", "by_model": "模型", "by_template": "模板", "meta": "规则 {rule} · 由{said}生成",
    "picture": "每条理由背后的事实，从你到{item}",
    "no_js": "图示需要 JavaScript；理由已列在旁边。",
    "verified": "✓ 已核实", "verified_tip": "其中每一项陈述都已对照商店数据核实",
    "template": "⚠ 模板", "template_tip": "由固定模板生成，陈述未全部核实",
    "unverified": "⚠ 未核实", "unverified_tip": "其中部分陈述无法核实",
    "legend": "图示说明", "key_you": "你", "key_item": "推荐的商品",
    "key_node": "来自商店目录", "key_crowd": "其他顾客：只计数，不具名",
    "key_line": "一条事实；颜色与其理由的色块相同", "key_star": "，★ 表示评分",
}
_WORDS = {"en": _EN, "zh": _ZH}


def words(lang: str = "en") -> dict[str, str]:
    """The page's words in ``lang`` (an unknown code fails with E005; a known one without page words: English)."""
    return _WORDS.get(get_language(lang).code, _EN)
