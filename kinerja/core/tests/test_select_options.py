"""`{% select_options %}`: escaped options, the chosen one selected by its text."""

from django.template import Context, Template


def _render(choices, selected):
    template = Template("{% load kinerja_html %}{% select_options choices selected %}")
    return template.render(Context({"choices": choices, "selected": selected}))


def test_options_are_escaped_and_the_chosen_one_is_selected():
    html = _render([(7, 'Dinas <Pendidikan> & "Kebudayaan"'), ("pns", "PNS")], "7")
    assert html == (
        '<option value="7" selected>Dinas &lt;Pendidikan&gt; &amp; &quot;Kebudayaan&quot;</option>'
        '<option value="pns">PNS</option>'
    )


def test_nothing_chosen_selects_nothing():
    for selected in (None, ""):
        assert "selected" not in _render([("", "All"), ("a", "A")], selected)
    assert _render([("a", "A")], "a") == '<option value="a" selected>A</option>'
