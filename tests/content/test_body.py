"""Where prepare_body() puts each picture: in place when the place may hold a figure, with its link.

Imported archives nest pictures in links (a thumbnail linking to the full size)
and in lists (step-by-step screenshots); the figures keep that structure.
"""

from __future__ import annotations

import pytest

from articles.content.body import FigureSlot, FigureSpec, prepare_body, split_figures

REL = 'rel="noopener noreferrer"'


def figure(src, *, link="", caption="", alt="", align=""):
    """The canonical figure prepare_body() writes."""
    css = f"image align-{align}" if align else "image"
    img = f'<img src="{src}" alt="{alt}">'
    if link:
        img = f'<a href="{link}" {REL}>{img}</a>'
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="{css}">{img}{figcaption}</figure>'


CASES = {
    "picture in a link (Markdown [![thumb](small.png)](full.png))": (
        '<p><a href="/media/full.png"><img src="/media/small.png" alt="thumb"></a></p>',
        figure("/media/small.png", link="/media/full.png", alt="thumb"),
    ),
    "picture in a link with text": (
        '<p>See <a href="https://example.org/map">the map <img src="/media/map.png"></a> here.</p>',
        f'<p>See <a href="https://example.org/map" {REL}>the map </a> here.</p>'
        + figure("/media/map.png", link="https://example.org/map"),
    ),
    "two pictures in one link": (
        '<p><a href="/media/set"><img src="/media/1.png"> <img src="/media/2.png"></a></p>',
        figure("/media/1.png", link="/media/set") + figure("/media/2.png", link="/media/set"),
    ),
    "two screenshots in two steps": (
        '<ol><li>Open the menu.<img src="/media/1.png"></li><li>Click Save.<img src="/media/2.png"></li></ol>',
        f"<ol><li>Open the menu.{figure('/media/1.png')}</li><li>Click Save.{figure('/media/2.png')}</li></ol>",
    ),
    "linked screenshot in a step": (
        '<ul><li>Step <a href="/media/big.png"><img src="/media/1.png"></a> then go on</li></ul>',
        f"<ul><li>Step {figure('/media/1.png', link='/media/big.png')} then go on</li></ul>",
    ),
    "picture in a paragraph in a list item": (
        '<ol><li><p>Open <img src="/media/1.png">it.</p><p>Then save.</p></li><li>Done.</li></ol>',
        f"<ol><li><p>Open it.</p>{figure('/media/1.png')}<p>Then save.</p></li><li>Done.</li></ol>",
    ),
    "picture in a nested list": (
        '<ul><li>a<ul><li><em>b <img src="/media/1.png"></em></li></ul></li></ul>',
        f"<ul><li>a<ul><li><em>b </em>{figure('/media/1.png')}</li></ul></li></ul>",
    ),
    "pictures in table cells": (
        '<table><tr><td>a<img src="/media/1.png"></td><th><p>b<img src="/media/2.png"></p></th></tr></table>',
        f"<table><tbody><tr><td>a{figure('/media/1.png')}</td>"
        f"<th><p>b</p>{figure('/media/2.png')}</th></tr></tbody></table>",
    ),
    "picture in a blockquote's paragraph": (
        '<blockquote><p>Quoted <img src="/media/1.png"></p><p>More.</p></blockquote>',
        f"<blockquote><p>Quoted </p>{figure('/media/1.png')}<p>More.</p></blockquote>",
    ),
    "picture in a heading in a list item": (
        '<ul><li><h3>Title <img src="/media/1.png"></h3>text</li></ul>',
        f"<ul><li><h3>Title </h3>{figure('/media/1.png')}text</li></ul>",
    ),
    "captioned figure in a link": (
        '<a href="/media/big.png"><figure class="image align-right"><img src="/media/1.png" alt="A">'
        "<figcaption>Cap</figcaption></figure></a>",
        figure("/media/1.png", link="/media/big.png", alt="A", caption="Cap", align="right"),
    ),
    "second picture of a linked figure keeps its link": (
        '<figure class="image"><a href="/x"><img src="/media/1.png"><img src="/media/2.png"></a>'
        "<figcaption>Both</figcaption></figure>",
        figure("/media/1.png", link="/x", caption="Both") + figure("/media/2.png", link="/x"),
    ),
    "link with a refused scheme: the picture without it, no empty link": (
        '<p>x<a href="javascript:alert(1)"><img src="/media/1.png"></a></p>',
        f"<p>x</p>{figure('/media/1.png')}",
    ),
    "link around a whole list: no link nested in it": (
        '<a href="/outer"><ul><li><img src="/media/1.png"></li></ul></a>',
        f'<a href="/outer" {REL}><ul><li>{figure("/media/1.png")}</li></ul></a>',
    ),
}


@pytest.mark.parametrize(("html", "expected"), CASES.values(), ids=CASES.keys())
def test_pictures_keep_their_place_and_link(html, expected):
    assert prepare_body(html).html == expected


@pytest.mark.parametrize("html", [html for html, _ in CASES.values()], ids=CASES.keys())
def test_prepare_body_is_idempotent_on_nested_pictures(html):
    once = prepare_body(html)
    again = prepare_body(once.html)
    assert again.html == once.html
    assert again.figures == once.figures


def test_figure_specs_carry_the_link_in_document_order():
    html = (
        '<ol><li>One <a href="/media/big1.png"><img src="/media/1.png" alt="first"></a></li>'
        '<li><p>Two <img src="/media/2.png"></p></li></ol>'
        '<p><a href="https://example.org/">site <img src="/media/3.png"></a></p>'
    )
    prepared = prepare_body(html)
    assert prepared.figures == [
        FigureSpec(src="/media/1.png", alt="first", link="/media/big1.png"),
        FigureSpec(src="/media/2.png"),
        FigureSpec(src="/media/3.png", link="https://example.org/"),
    ]
    slots = [piece for piece in split_figures(prepared.html) if isinstance(piece, FigureSlot)]
    assert [(slot.position, 'href="/media/big1.png"' in slot.markup) for slot in slots] == [
        (0, True),
        (1, False),
        (2, False),
    ]
    assert "<li>One " + slots[0].markup + "</li>" in prepared.html


def test_no_empty_link_is_left_behind():
    html = '<p>Intro</p><p><a href="/media/full.png"> <img src="/media/small.png"> </a></p><p>End</p>'
    result = prepare_body(html).html
    assert result == f"<p>Intro</p>{figure('/media/small.png', link='/media/full.png')}<p>End</p>"
    assert "></a>" not in result.replace("></a></figure>", "")


def test_a_link_too_long_for_the_row_is_not_kept():
    long = "https://example.org/" + "x" * 2000
    prepared = prepare_body(f'<p><a href="{long}"><img src="/media/1.png"></a></p>')
    assert prepared.html == figure("/media/1.png")
    assert prepared.figures == [FigureSpec(src="/media/1.png")]


# --- what the editor (CKEditor 4, image2) writes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        (  # captioned and linked
            '<figure class="image align-center"><a href="https://example.org/full.jpg">'
            '<img alt="Quay" height="300" src="/media/images/q.jpg" width="400"></a>'
            "<figcaption>The quay</figcaption></figure>",
            figure("/media/images/q.jpg", link="https://example.org/full.jpg", alt="Quay", caption="The quay",
                   align="center"),
        ),
        (  # linked, no caption
            '<p><a href="https://example.org/full.jpg"><img alt="Quay" src="/media/images/q.jpg"></a></p>',
            figure("/media/images/q.jpg", link="https://example.org/full.jpg", alt="Quay"),
        ),
        (  # captioned, no link
            '<figure class="image"><img alt="Quay" src="/media/images/q.jpg"><figcaption>The quay</figcaption></figure>',
            figure("/media/images/q.jpg", alt="Quay", caption="The quay"),
        ),
    ],
)  # fmt: skip
def test_the_editors_figures_round_trip(written, stored):
    assert prepare_body(written).html == stored
    # The editor drops rel (not in its allowed content) when it loads the body; saving puts it back.
    assert prepare_body(stored).html == stored
    assert prepare_body(stored.replace(f" {REL}", "")).html == stored
