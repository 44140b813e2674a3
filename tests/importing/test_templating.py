"""Template syntax of imported Jekyll, Eleventy and Hugo posts: translated, or shown as marked code."""

import html
import random
import re
import time

import pytest
from markdown_it import MarkdownIt

from articles.importing.templating import TemplateContext, Translated, translate_templates

POSTS = {
    "2019-01-01-slug": "/2019/01/01/slug/",
    "_posts/2019-01-01-slug.md": "/2019/01/01/slug/",
    "other.md": "/other/",
}
CONTEXT = TemplateContext(
    site={"title": "Tom & Jerry", "baseurl": "/blog", "url": "https://example.com", "params": {"author": "Ann"}},
    page={"title": "Hello", "subtitle": "Sub <b>"},
    link_for=POSTS.get,
)
XML = "<!DOCTYPE x [ <!ENTITY a \"b\"> ]> &a;\n<root attr='1'>``` {{ not.liquid }}</root>"


def md(text: str, context: TemplateContext = CONTEXT) -> Translated:
    return translate_templates(text, context, markdown=True)


def as_html(text: str, context: TemplateContext = CONTEXT) -> Translated:
    return translate_templates(text, context, markdown=False)


def render(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).render(markdown)


CODE_REGIONS = re.compile(
    r"^[ \t]*(`{3,}|~{3,}).*?(?:^[ \t]*\1[`~]*[ \t]*$|\Z)|<pre\b.*?</pre>|<code\b.*?</code>|(`+)[^\n]+?\2",
    re.DOTALL | re.MULTILINE | re.IGNORECASE,
)


def template_syntax_outside_code(text: str) -> list[str]:
    """What is left of {% or {{ once fenced, <pre>, <code> and backtick code is taken out
    (a fence never closed runs to the end, as in CommonMark)."""
    return re.findall(r"\{[{%].{0,20}", CODE_REGIONS.sub("", text))


def test_text_without_template_syntax_comes_back_unchanged_and_fast():
    text = "Plain *Markdown* with {braces} and 100% {of it} " * 200
    result = md(text)
    assert result.text is text and result.warnings == []
    started = time.perf_counter()
    for _ in range(10_000):
        translate_templates(text, CONTEXT, markdown=True)
    assert time.perf_counter() - started < 0.5


def test_code_regions_are_left_alone():
    text = "```liquid\n{{ site.title }}\n```\n\n~~~\n{% gallery %}\n~~~\n\nInline `{{ page.title }}` here.\n\n<pre>{% x %}</pre> <code>{{ y }}</code>"
    assert md(text) == Translated(text, [])
    assert as_html("<pre>{% x %}</pre> <code>{{ y }}</code>") == Translated(
        "<pre>{% x %}</pre> <code>{{ y }}</code>", []
    )


def test_raw_markers_go_everywhere_and_raw_syntax_outside_code_is_shown_as_code():
    text = "`{% raw %}{{ a }}{% endraw %}`\n\n```\n{% raw %}{% b %}{% endraw %}\n```\n\n{% raw %}Use {{ page.title }} here{% endraw %}"
    result = md(text)
    assert result.text == "`{{ a }}`\n\n```\n{% b %}\n```\n\nUse <code>{{ page.title }}</code> here"
    assert result.warnings == []


def test_raw_around_a_fence_keeps_the_fence_as_it_is():
    result = md("{% raw %}\n```liquid\n{{ x }}\n```\n{% endraw %}")
    assert result.text == "\n```liquid\n{{ x }}\n```\n"


def test_hugo_escaped_shortcodes_show_their_syntax():
    result = md('```\n{{</* figure src="a.png" */>}}\n```\n\nWrite {{%/* note */%}} for notes.')
    assert result.text == '```\n{{< figure src="a.png" >}}\n```\n\nWrite <code>{{% note %}}</code> for notes.'
    assert result.warnings == []


def test_liquid_highlight_comes_through_byte_for_byte():
    text = f"Before\n{{% highlight xml linenos %}}\n{XML}\n{{% endhighlight %}}\nAfter"
    result = md(text)
    assert result.text == f"Before\n\n````xml\n{XML}\n````\n\nAfter"
    rendered = render(result.text)
    code = re.search(r'<pre><code class="language-xml">(.*?)</code></pre>', rendered, re.DOTALL).group(1)
    assert html.unescape(code) == XML + "\n"
    html_result = as_html(text)
    code = re.search(r'<pre><code class="language-xml">(.*?)</code></pre>', html_result.text, re.DOTALL).group(1)
    assert html.unescape(code) == XML
    assert result.warnings == html_result.warnings == []


def test_raw_inside_highlight_is_removed_and_its_content_kept():
    result = md("{% highlight liquid %}\n{% raw %}{{ page.title }}{% endraw %}\n{% endhighlight %}")
    assert result.text == "```liquid\n{{ page.title }}\n```"


def test_hugo_highlight_becomes_a_code_block():
    result = as_html('{{< highlight go "linenos=table, hl_lines=3" >}}\nfmt.Println("<hi>")\n{{< /highlight >}}')
    assert result.text == '<pre><code class="language-go">fmt.Println(&quot;&lt;hi&gt;&quot;)</code></pre>'


def test_comment_and_assign_are_removed_with_their_lines():
    text = 'One\n{% comment %}\nnot for readers {{ x }}\n{% endcomment %}\n{% assign who = "world" %}\nHello {{ who }}.'
    assert md(text) == Translated("One\nHello world.", [])


def test_capture_is_output_as_written():
    result = md("{% capture note %}**Note:** {{ site.title }}{% endcapture %}\n{{ note }}")
    assert result == Translated("**Note:** Tom &amp; Jerry", [])


def test_post_url_and_link_give_the_old_address():
    text = '[a]({% post_url 2019-01-01-slug %}) <a href="{% link _posts/2019-01-01-slug.md %}">b</a>'
    assert md(text) == Translated('[a](/2019/01/01/slug/) <a href="/2019/01/01/slug/">b</a>', [])


def test_unknown_post_keeps_its_target_and_warns_with_its_line():
    result = md("Intro\n\nSee [it]({% post_url 2010-01-01-missing %}).")
    assert result == Translated(
        "Intro\n\nSee [it](2010-01-01-missing).", ["line 3: {% post_url 2010-01-01-missing %}: no such post"]
    )


def test_hugo_ref_and_relref_are_post_links():
    assert (
        md('[x]({{< ref "other.md" >}}) [y]({{% relref "2019-01-01-slug" %}})').text
        == "[x](/other/) [y](/2019/01/01/slug/)"
    )


def test_liquid_output_of_site_page_and_filters():
    text = (
        '{{ site.title }}|{{ page.title | upcase }}|{{ page.subtitle }}|{{ "/a.png" | relative_url }}|'
        '{{ "a.png" | absolute_url }}|{{ page.title | prepend: "¡" | append: "!" | downcase }}|'
        '{{ page.none | default: "fallback" }}|{{ subtitle | escape }}'
    )
    expected = (
        "Tom &amp; Jerry|HELLO|Sub &lt;b&gt;|/blog/a.png|https://example.com/blog/a.png|¡hello!|fallback|Sub &lt;b&gt;"
    )
    assert as_html(text) == Translated(expected, [])


def test_baseurl_and_url_default_to_empty_like_jekyll():
    result = md('![a]({{ site.baseurl }}/a.png) {{ "/b.png" | absolute_url }}', TemplateContext())
    assert result == Translated("![a](/a.png) /b.png", [])


def test_unresolved_output_is_marked_with_a_warning():
    result = md("x\n{{ site.missing }} {{ page.title | date: '%Y' }} {{ site.posts[0] }}")
    assert result.text == (
        'x\n<code class="legacy-template">{{ site.missing }}</code> '
        '<code class="legacy-template">{{ page.title &#124; date: &#x27;%Y&#x27; }}</code> '
        '<code class="legacy-template">{{ site.posts&#91;0&#93; }}</code>'
    )
    assert result.warnings == [
        "line 2: {{ site.missing }}: unknown value: kept as text",
        "line 2: {{ page.title | date: '%Y' }}: filter date not supported: kept as text",
        "line 2: {{ site.posts[0] }}: unknown value: kept as text",
    ]
    assert "site.posts[0]" in render(result.text)  # Markdown does not turn it into a link


def test_include_of_a_picture_becomes_a_figure_block():
    text = 'Text\n{% include image.html src="{{ site.baseurl }}/a.png" alt="An A" caption="A & B" %}\nMore'
    figure = '<figure><img src="/blog/a.png" alt="An A"><figcaption>A &amp; B</figcaption></figure>'
    assert md(text) == Translated(f"Text\n\n{figure}\n\nMore", [])
    assert as_html(text) == Translated(f"Text\n{figure}\nMore", [])


def test_include_of_a_video_becomes_an_embed_and_others_are_marked():
    result = md('{% include youtube.html id="dQw4w9WgXcQ" %}\n\n{% include footer.html %}')
    assert result.text == (
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube video" allowfullscreen></iframe>\n\n'
        '<code class="legacy-template">{% include footer.html %}</code>'
    )
    assert result.warnings == [
        "line 3: {% include footer.html %}: include of footer.html: its file is not part of the post: kept as text"
    ]


def test_eleventy_shortcodes():
    result = as_html('{% image "/b.png", "Alt", "Cap" %}{% image "/c.png", "C" %}{% youtube "dQw4w9WgXcQ" %}')
    assert result.text == (
        '<figure><img src="/b.png" alt="Alt"><figcaption>Cap</figcaption></figure>'
        '<figure><img src="/c.png" alt="C"></figure>'
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube video" allowfullscreen></iframe>'
    )


def test_hugo_figure_with_link_and_title_as_caption():
    result = as_html('{{< figure src="/z.jpg" alt="Zion" title="Zion park" link="https://nps.gov/" >}}')
    assert result == Translated(
        '<figure><a href="https://nps.gov/"><img src="/z.jpg" alt="Zion"></a><figcaption>Zion park</figcaption></figure>',
        [],
    )
    assert as_html('{{% figure src="/z.jpg" caption="C" title="T" %}}').text == (
        '<figure><img src="/z.jpg" alt=""><figcaption>C</figcaption></figure>'
    )


@pytest.mark.parametrize(
    ("shortcode", "src", "title"),
    [
        ("{{< youtube 0RKpf3rK57I >}}", "https://www.youtube-nocookie.com/embed/0RKpf3rK57I", "YouTube video"),
        ('{{< youtube id="0RKpf3rK57I" >}}', "https://www.youtube-nocookie.com/embed/0RKpf3rK57I", "YouTube video"),
        (
            "{% youtube https://www.youtube.com/watch?v=0RKpf3rK57I %}",
            "https://www.youtube-nocookie.com/embed/0RKpf3rK57I",
            "YouTube video",
        ),
        ("{{< vimeo 55073825 >}}", "https://player.vimeo.com/video/55073825", "Vimeo video"),
    ],
)
def test_videos_become_embeds_in_their_own_block(shortcode, src, title):
    result = md(f"Watch:\n{shortcode}\nThen read.")
    iframe = f'<iframe src="{src}" title="{title}" allowfullscreen></iframe>'
    assert result == Translated(f"Watch:\n\n{iframe}\n\nThen read.", [])
    assert f"<p>Watch:</p>\n{iframe}\n<p>Then read.</p>" in render(result.text)


def test_bad_video_ids_are_marked():
    result = as_html("{{< youtube abc >}}\n{{< vimeo x123 >}}")
    assert result.text.count('class="legacy-template"') == 2
    assert result.warnings == [
        "line 1: {{< youtube abc >}}: youtube video id 'abc' not valid: kept as text",
        "line 2: {{< vimeo x123 >}}: vimeo video id 'x123' not valid: kept as text",
    ]


def test_gists_tweets_and_instagram_posts_become_links_with_a_warning():
    result = as_html(
        "{{< gist spf13 7896402 >}}{% gist parkr/931c1c8d465a04042403 %}{% gist 931c1c8d %}"
        '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}{{< tweet 1453110110599868418 >}}'
        "{{< instagram BWNjjyYFxVx >}}"
    )
    assert result.text == (
        '<p><a href="https://gist.github.com/spf13/7896402">Gist: spf13/7896402</a></p>'
        '<p><a href="https://gist.github.com/parkr/931c1c8d465a04042403">Gist: parkr/931c1c8d465a04042403</a></p>'
        '<p><a href="https://gist.github.com/931c1c8d">Gist: 931c1c8d</a></p>'
        '<p><a href="https://twitter.com/SanDiegoZoo/status/1453110110599868418">Post on X by @SanDiegoZoo</a></p>'
        '<p><a href="https://twitter.com/i/status/1453110110599868418">Post on X</a></p>'
        '<p><a href="https://www.instagram.com/p/BWNjjyYFxVx/">Instagram post</a></p>'
    )
    assert [warning.rsplit(": ", 1)[1] for warning in result.warnings] == [
        "gist embed kept as a link",
        "gist embed kept as a link",
        "gist embed kept as a link",
        "tweet embed kept as a link",
        "tweet embed kept as a link",
        "instagram embed kept as a link",
    ]


def test_hugo_param_reads_the_page_then_the_site():
    result = md("{{< param title >}} by {{< param author >}} {{< param nope >}}")
    assert result.text == 'Hello by Ann <code class="legacy-template">{{&lt; param nope &gt;}}</code>'
    assert result.warnings == ["line 1: {{< param nope >}}: no such parameter: kept as text"]


def test_unknown_tags_are_marked_and_warned_with_their_line():
    result = md("Intro\n\nBefore {% gallery %} after\n{{< notice >}}")
    assert result.text == (
        'Intro\n\nBefore <code class="legacy-template">{% gallery %}</code> after\n'
        '<code class="legacy-template">{{&lt; notice &gt;}}</code>'
    )
    assert result.warnings == [
        "line 3: unknown Liquid tag {% gallery %}: kept as text",
        "line 4: unknown Hugo shortcode {{< notice >}}: kept as text",
    ]


def test_unknown_paired_tags_keep_their_translated_content():
    result = md("{% note %}\nBy {{ page.title }}\n{% endnote %}\n{{% aside %}}*x*{{% /aside %}}")
    assert result.text == (
        '<code class="legacy-template">{% note %}</code>\nBy Hello\n<code class="legacy-template">{% endnote %}</code>\n'
        '<code class="legacy-template">{{% aside %}}</code>*x*<code class="legacy-template">{{% /aside %}}</code>'
    )
    assert result.warnings == [
        "line 1: unknown paired Liquid tag {% note %}: its markers kept as text, its content translated",
        "line 4: unknown paired Hugo shortcode {{% aside %}}: its markers kept as text, its content translated",
    ]


def test_broken_syntax_is_marked_not_crashed_on():
    result = md("a\n{% highlight python %}\nprint(1)\n\n{{ page.title\n{% raw %}{{ x }}")
    assert template_syntax_outside_code(result.text) == []
    assert result.warnings == [
        "line 2: {% highlight python %}: {% endhighlight %} missing: kept as text",
        "line 5: broken template syntax {{ page.title: kept as text",
        "line 6: {% raw %} never closed: the rest of the post shown as written",
    ]


MIXED = [
    "Plain paragraph.",
    "{{ site.title }}",
    "{{ page.missing | foo }}",
    "{% gallery big %}",
    "{% if page.x %}yes{% else %}no{% endif %}",
    "{% for p in site.posts %}{{ p.title }}{% endfor %}",
    "{% highlight ruby %}\ndef x; {{ y }}; end\n{% endhighlight %}",
    "{% highlight ruby",
    "{% raw %}{{ shown }}{% endraw %}",
    "{% raw %}{% also %}",
    "```\n{{ fenced }}\n```",
    "~~~~\n{% fenced %}\n~~~~",
    "`{{ span }}`",
    "``{{ `double` }}``",
    "<pre>{{ pre }}</pre>",
    "<code>{% code %}</code>",
    '{{< figure src="/a.png" >}}',
    "{{< figure alt=x >}}",
    "{{< youtube dQw4w9WgXcQ >}}",
    "{{< youtube nope >}}",
    "{{< unknown a=b >}}inner {{ page.title }}{{< /unknown >}}",
    "{{% notice %}}*x*{{% /notice %}}",
    "{{< /stray >}}",
    "{{</* escaped */>}}",
    "{% include a.html x=y %}",
    "{% include pic.html src='/p.png' %}",
    "{{ '{{' }}",
    "{{ {% nested %} }}",
    "{% assign a = site.missing %}{{ a }}",
    "{% capture c %}{% gallery %}{% endcapture %}{{ c }}",
    "{% comment %}{{ hidden }}",
    "[link]({% post_url nope %})",
    "{{< ref >}}",
    "{{< gist only >}}",
    "{{< highlight go >}}\nno end",
    "{{{ triple }}}",
    "{%%}",
    "{{}}",
]


def mixed_inputs() -> list[str]:
    generator = random.Random(13)
    inputs = list(MIXED)
    for _ in range(40):
        pieces = generator.sample(MIXED, 4)
        separators = [generator.choice([" ", "\n", "\n\n", "  \n"]) for _ in pieces]
        inputs.append("".join(piece + separator for piece, separator in zip(pieces, separators, strict=True)))
    return inputs


@pytest.mark.parametrize("markdown", [True, False])
def test_no_template_syntax_remains_outside_code(markdown):
    for text in mixed_inputs():
        result = translate_templates(text, CONTEXT, markdown=markdown)
        assert template_syntax_outside_code(result.text) == [], (text, result.text)
        if markdown:
            rendered = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", render(result.text), flags=re.DOTALL)
            assert not re.search(r"\{[{%]", rendered), (text, rendered)
