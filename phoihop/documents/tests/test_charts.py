"""Charts: PNG at 15 cm / 150 dpi, Vietnamese text, missing values shown as missing."""

from __future__ import annotations

import io
import os
import warnings

from PIL import Image as PILImage

from phoihop.documents import charts

AREAS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chính sách hậu phương quân đội",
    "Bồi dưỡng kiến thức quốc phòng, an ninh",
]


def texts(fig) -> list[str]:
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_a_bar_chart_is_a_png_15_cm_wide_at_150_dpi():
    png = charts.bar_chart(["Năm 2019", "Năm 2020"], {"Buổi": [42, 38]}, "Tuyên truyền", "buổi")
    image = PILImage.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.size[0] - 15 / 2.54 * 150) <= 2
    assert round(image.info["dpi"][0]) == 150


def test_missing_values_are_drawn_as_missing_not_as_zero():
    fig = charts.bar_chart_figure(["A", "B", "C"], {"2020": [1, None, 3], "2021": [2, 2, None]})
    assert len(fig.axes[0].patches) == 4  # four bars for four values, none for the two gaps
    assert texts(fig).count(charts.MISSING) == 2
    assert charts.MISSING_NOTE in texts(fig)


def test_values_are_labelled_the_vietnamese_way():
    fig = charts.bar_chart_figure(["A", "B"], {"Kinh phí": [1234.5, 1560]})
    assert {"1.234,5", "1.560"} <= set(texts(fig))


def test_long_vietnamese_labels_are_wrapped():
    fig = charts.bar_chart_figure(AREAS, {"2021": [14, None, 8]})
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels() + fig.axes[0].get_xticklabels()]
    wrapped = [label for label in labels if "\n" in label]
    assert wrapped and all(len(line) <= 30 for label in wrapped for line in label.split("\n"))


def test_vietnamese_text_renders_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.bar_chart(["Đền ơn đáp nghĩa", "Ỹ ữ ậ ặ ẫ ờ ừ ử"], {"Năm 2021": [3, 4]},
                         "Kết quả đạt được", "hoạt động")
        charts.achievement_chart(["Công dân nhập ngũ"], [201], [200], "Chỉ tiêu năm")
    assert not [w for w in caught if "glyph" in str(w.message).lower()]


def test_the_achievement_chart_shows_each_value_against_its_target():
    fig = charts.achievement_figure(
        ["Công dân nhập ngũ", "Nhà tình nghĩa", "Buổi tuyên truyền", "Kinh phí"],
        [201, 4, 51, None], [200, 5, None, 1500],
    )
    assert len(fig.axes[0].patches) == 2  # only value-with-target rows get a bar
    shown = texts(fig)
    assert "201 / 200 (100,5%)" in shown
    assert "4 / 5 (80%)" in shown
    assert "51 (chưa có chỉ tiêu)" in shown
    assert f"{charts.MISSING} / 1.500" in shown
    colors = [bar.get_facecolor()[:3] for bar in fig.axes[0].patches]
    assert colors[0] != colors[1]  # reached vs not reached


def test_empty_or_odd_input_does_not_crash():
    for png in (
        charts.bar_chart([], {}, "Trống", ""),
        charts.bar_chart(["A", "B"], {"x": [None, None]}),
        charts.bar_chart(["A"], {"x": ["12", float("nan"), 3]}),
        charts.bar_chart(["A", "B"], {"x": [-5, 10]}),
        charts.achievement_chart([], [], []),
        charts.achievement_chart(["A"], [10], [0]),
    ):
        assert png.startswith(b"\x89PNG")


def test_matplotlib_gets_a_writable_config_dir_when_home_is_not_writable(monkeypatch, tmp_path):
    locked = tmp_path / "home"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("HOME", str(locked))
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    charts._ensure_config_dir()
    if os.access(locked, os.W_OK):  # running as root: every directory is writable
        assert "MPLCONFIGDIR" not in os.environ
    else:
        assert os.access(os.environ["MPLCONFIGDIR"], os.W_OK)
    monkeypatch.setenv("HOME", str(tmp_path / "missing"))
    charts._ensure_config_dir()
    assert os.access(os.environ["MPLCONFIGDIR"], os.W_OK)
