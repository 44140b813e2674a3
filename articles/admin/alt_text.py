"""The one rule for alt text on every form that creates or changes a picture: describe it, or say on
purpose that it is decorative (Image.decorative), which stores an empty alt text."""

from __future__ import annotations

from django import forms

MISSING = (
    "Every picture needs alt text. Describe it for people who cannot see it, "
    "or tick “Decorative” if it adds nothing for them."
)
BOTH = "A decorative picture has no alt text: empty the alt text, or untick “Decorative”."
DECORATIVE_HELP = "Only for pictures that add nothing a reader who cannot see them would miss (a divider, a texture)."


def clean_alt_text(form: forms.Form, cleaned: dict) -> None:
    """Check the form's alt_text and decorative values together; normalise the spaces of the alt text."""
    if "alt_text" not in cleaned:
        return  # already refused (too long)
    text = " ".join((cleaned.get("alt_text") or "").split())
    if cleaned.get("decorative"):
        if text:
            form.add_error("alt_text", forms.ValidationError(BOTH, code="decorative_with_alt"))
        text = ""
    elif not text:
        form.add_error("alt_text", forms.ValidationError(MISSING, code="alt_text_missing"))
    cleaned["alt_text"] = text


class AltTextRequired:
    """A form mixin: clean() applies clean_alt_text. The form has alt_text and decorative fields."""

    def clean(self):
        cleaned = super().clean()
        clean_alt_text(self, cleaned)
        return cleaned
