from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin with the newsroom's site (newsroom/admin.py) as admin.site.

    default_site is Django's documented way to replace the default site: every
    ModelAdmin registered with @admin.register, and admin.site.urls in urls.py, use
    it unchanged, where a site of our own would need each registration moved to it.
    """

    default_site = "newsroom.admin.NewsroomAdminSite"
