"""What staff type into an admin address or form is checked before a query sees it: a value the
database cannot take (a word or a 20-digit number as an id, a NUL, a year past 9999) is a form
error or a 400, never a 500. Django checks most of this itself; these are the gaps."""

from __future__ import annotations

from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import BadRequest, ValidationError
from django.db import connections
from django.forms import ModelMultipleChoiceField


def is_key(field, value, *, using: str = "default") -> bool:
    """Whether value can be looked up in field (a model field, usually a primary key) without the
    database refusing it: of the field's type, and inside the column's range for integers."""
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(value, int):
        try:
            low, high = connections[using].ops.integer_field_range(field.get_internal_type())
        except KeyError:  # not an integer column
            return True
        return (low is None or low <= value) and (high is None or value <= high)
    return "\x00" not in str(value)  # PostgreSQL refuses a NUL in any text


def _target(model_field):
    """The field a relation's chosen values are looked up in (the related model's key)."""
    return model_field.target_field


class KeyCheckedMultipleChoiceField(ModelMultipleChoiceField):
    """ModelMultipleChoiceField whose unusable values are a form error: Django's own check lets an
    id too big for the column through to a query that raises OverflowError."""

    def _check_values(self, value):
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        for pk in value if isinstance(value, list | tuple) else []:
            if not is_key(key, pk, using=self.queryset.db):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class KeyCheckedAutocompleteMixin:
    """The admin's autocomplete widget, which looks up the chosen values again to show their names:
    a form sent back with a value no row can have is shown with that value left out."""

    def optgroups(self, name, value, attr=None):
        key = _target(self.field)
        usable = [v for v in value if is_key(key, v, using=self.db or "default")]
        return super().optgroups(name, usable, attr)


class KeyCheckedAutocompleteSelect(KeyCheckedAutocompleteMixin, AutocompleteSelect):
    pass


class KeyCheckedAutocompleteSelectMultiple(KeyCheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class DateCheckedChangeList(ChangeList):
    """Django turns a date drill-down it cannot parse into its "?e=1" page, but a year too big for
    a C integer (?publish_at__year=99999999999) escapes as OverflowError."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise BadRequest("No such date.") from error


class BadInputAdminMixin:
    """For every ModelAdmin with autocomplete fields, many-to-many fields or a date drill-down."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return DateCheckedChangeList
