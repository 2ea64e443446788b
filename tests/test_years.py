"""The years a question names and the years a passage states."""
from __future__ import annotations

from qa.years import dated, figure_year, named_years, other_year_in_clause, stated_years, unstated_year


def test_named_years_are_those_followed_by_nian_in_any_numerals():
    assert named_years("2025年中关村论坛的主题是什么?") == ["2025"]
    assert named_years("二〇〇五年和２００８年，又是２００８年?") == ["2005", "2008"]
    assert named_years("2024中关村论坛有多少家企业入选500强?") == []  # not followed by 年
    assert named_years("哪一種藝術形式在1950年代的東德被官方鼓勵?") == []  # a decade


def test_stated_years_include_the_article_date_and_relative_years():
    text = "截至去年底，園區共有企業368家，比2019年增加一倍；二零零五年建成。"
    assert stated_years(text) == {"2019", "2005"}
    assert stated_years(text, "2024-06-18") == {"2019", "2005", "2024", "2023"}
    assert "2025" in stated_years("明年将再建三座。", "2024-06-18")


def test_unstated_year_names_the_first_year_missing():
    passage = "以“創新:建設更加美好的世界”為主題的2024中關村論壇年會"
    assert unstated_year(["2025"], passage) == "2025"
    assert unstated_year(["2024"], passage) is None
    assert unstated_year(["2024", "2013"], passage) == "2013"
    assert unstated_year([], "") is None


def test_a_clause_about_another_year_is_named():
    text = "1988年成為第一個國家級高新技術產業開發區,1999年成為第一個國家級科技園區,2009年成為第一個國家自主創新示范區……"
    at = {w: (text.index(w), text.index(w) + len(w)) for w in ("國家級科技園區", "國家自主創新示范區")}
    assert other_year_in_clause(["2009"], text, *at["國家級科技園區"]) == "1999"
    assert other_year_in_clause(["2009"], text, *at["國家自主創新示范區"]) is None
    crossing = text.index("國家級科技園區"), text.index("國家自主創新示范區") + 9
    assert other_year_in_clause(["2009"], text, *crossing) == "1999"  # the clause where it begins
    assert other_year_in_clause([], text, *at["國家級科技園區"]) is None


def test_the_span_s_own_year_and_enumeration_commas_do_not_count():
    text = "他于1990年毕业，1995年获得博士学位；2024年新增优势单位28家、试点单位57家。"
    year = text.index("1995年"), text.index("1995年") + 5
    assert other_year_in_clause(["2001"], text, *year) is None  # the span is the year asked for
    item = text.index("57家"), text.index("57家") + 3
    assert other_year_in_clause(["2024"], text, *item) is None
    assert other_year_in_clause(["2023"], text, *item) == "2024"


def test_a_year_that_only_describes_the_span_or_a_range_holding_the_asked_year_is_no_conflict():
    text = "创立于1956年的信心纪念路德会会众人数大幅度减少，2009年於高雄市舉辦世界運動會"
    church, city = text.index("信心纪念路德会"), text.index("高雄市")
    assert other_year_in_clause(["2006"], text, church, church + 7) is None  # 1956年的: describes it
    assert other_year_in_clause(["2004"], text, city, city + 3) == "2009"
    ranged = "已于2012-2013年开设国民教育科"
    assert other_year_in_clause(["2012"], ranged, ranged.index("国民"), len(ranged)) is None


def test_a_figure_written_after_its_year_is_that_year_s_figure():
    text = "中關村示范區企業總收入從2014年的3.6萬億元提高到2023年的預計8.6萬億元。"
    then, now = [(text.index(f), text.index(f) + len(f)) for f in ("3.6萬億元", "8.6萬億元")]
    assert figure_year(text, *then) == "2014" and figure_year(text, *now) == "2023"
    assert other_year_in_clause(["2023"], text, *then) == "2014"  # though the clause states 2023
    assert other_year_in_clause(["2023"], text, *now) is None
    assert figure_year(text, text.index("中關村"), text.index("中關村") + 3) is None  # no figure


def test_a_relative_year_is_read_against_the_article_date():
    assert dated("今年7月", "2022-09-04") == "2022年7月"
    assert dated("去年", "2024年04月14日") == "2023年"
    assert dated("7月20日", "2022-09-04") is None  # no relative year
    assert dated("今年7月", None) is None  # no date to read it against
