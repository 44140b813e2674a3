from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # <str:> rather than <slug:>: slugs keep non-Latin letters.
    path("articles/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("keywords/<str:slug>/", views.KeywordView.as_view(), name="keyword"),
    path("sections/<str:slug>/", views.SectionView.as_view(), name="section"),
]
