{% load static %}<?xml version="1.0" encoding="UTF-8"?>
<!-- How a browser shows this site's RSS and Atom feeds to a person: a page in the site's style
     that says what a feed is, and lists the stories. Feed readers ignore it. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <html lang="{{ language_code }}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/> · Feed</title>
        <link rel="stylesheet" href="{% static 'css/site.css' %}"/>
        <link rel="icon" href="{% static 'brand/favicon.svg' %}" type="image/svg+xml"/>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap site-header__inner">
            <a class="site-name" href="{% url 'articles:home' %}">{{ site_name }}</a>
          </div>
        </header>
        <main id="content" class="wrap">
          <div class="feed-page">
            <p class="kicker">Feed</p>
            <h1><xsl:value-of select="$title"/></h1>
            <p class="feed-page__about">This is a web feed. Copy its address into a feed reader
              to follow new stories as they are published. Nothing here needs an account.</p>
            <p class="feed-page__address"><code><xsl:value-of select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/></code></p>
            <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
            <ol class="feed-page__items">
              <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
            </ol>
          </div>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta"><xsl:value-of select="substring(pubDate, 1, 16)"/></p>
      <p><xsl:value-of select="description"/></p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
