"""Outgoing webhooks in the admin: staff choose the address, the events and the secret, and read
the delivery log (status, response code, attempts, times), sending failed deliveries again."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from articles.delivery import webhooks
from articles.importing.fetching import FetchError, check_url, resolve
from articles.models import Webhook, WebhookDelivery


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", help_text=Webhook._meta.get_field("url").help_text
    )
    events = forms.MultipleChoiceField(
        choices=Webhook.Event.choices, widget=forms.CheckboxSelectMultiple, help_text="Which events are sent."
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "secret", "active"]

    def clean_url(self):
        """The address must pass the checks every delivery makes (public, allowed port): said now, not in the log."""
        url = self.cleaned_data["url"]
        try:
            _scheme, host, port = check_url(url, allowed_ports=settings.NEWSROOM_WEBHOOK_ALLOWED_PORTS)
            resolve(host, port, allow_private=settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE)
        except FetchError as error:
            raise forms.ValidationError(f"Newsroom will not send to this address: {error}.") from error
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "url", "event_list", "active", "delivery_log"]
    list_filter = ["active"]
    search_fields = ["name", "url"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(delivery_count=Count("deliveries"))

    @admin.display(description="Events")
    def event_list(self, webhook):
        labels = dict(Webhook.Event.choices)
        return ", ".join(labels.get(event, event).split(" (")[0] for event in webhook.events)

    @admin.display(description="Deliveries")
    def delivery_log(self, webhook):
        url = reverse("admin:articles_webhookdelivery_changelist") + f"?webhook__id__exact={webhook.pk}"
        return format_html('<a href="{}">{}</a>', url, webhook.delivery_count)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The log: read only, but for sending a failed delivery again."""

    list_display = [
        "created_at",
        "webhook",
        "event",
        "article_title",
        "status",
        "response_code",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event", "webhook"]
    list_select_related = ["webhook"]
    search_fields = ["article_title", "webhook__name"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = list_display[:3] + ["id", "article"] + list_display[3:] + ["error", "body"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected failed deliveries again", permissions=["change"])
    def send_again(self, request, queryset):
        count = webhooks.send_again(queryset.select_related("webhook"))
        self.message_user(request, f"{count} failed deliveries queued again.", messages.SUCCESS)
