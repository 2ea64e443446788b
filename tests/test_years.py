"""The years a question names and the years a passage states."""
from __future__ import annotations

from qa.years import named_years, stated_years, unstated_year


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
