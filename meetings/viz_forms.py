"""The GET form shared by ``/map/`` and ``/network/``: a year range, a kind, a person (an
id, or a name resolved as the meeting list resolves it) and, for the network, a country at
the centre. A bad value is the form's error on the page, never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.filters import find_person
from meetings.geomap import Filters
from meetings.models import Country, MeetingKind, Participant

MIN_YEAR, MAX_YEAR = 1990, 2100


class VizForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *MeetingKind.choices], required=False
    )
    person = forms.CharField(label=_("Person"), required=False, max_length=200)
    country = forms.CharField(label=_("Country code"), required=False, max_length=2)

    def __init__(self, *args, with_country: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        years = {
            "from": forms.IntegerField(
                label=_("From year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
            ),
            "to": forms.IntegerField(
                label=_("To year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
            ),
        }
        self.fields = {**years, **self.fields}
        if not with_country:
            del self.fields["country"]

    def clean_person(self) -> Participant | None:
        value = " ".join((self.cleaned_data.get("person") or "").split())
        if not value:
            return None
        person = None
        if value.isdigit():
            person = Participant.objects.filter(pk=int(value)).first()
        else:
            person = find_person(value)
        if person is None:
            raise forms.ValidationError(
                _("Nobody called “%(name)s” was found."), params={"name": value}
            )
        return person

    def clean_country(self) -> Country | None:
        value = (self.cleaned_data.get("country") or "").strip().upper()
        if not value:
            return None
        country = Country.objects.filter(code=value).first()
        if country is None:
            raise forms.ValidationError(
                _("No country with the code “%(code)s”."), params={"code": value}
            )
        return country

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start is not None and end is not None and start > end:
            self.add_error("to", _("The last year is before the first."))
        return cleaned

    def filters(self) -> Filters:
        """What to count; call after ``is_valid()`` returned True."""
        data = self.cleaned_data
        person, country = data.get("person"), data.get("country")
        return Filters(
            year_from=data.get("from"),
            year_to=data.get("to"),
            kind=data.get("kind") or "",
            person=person.pk if person else None,
            country=country.code if country else "",
        )

    def query(self, **extra: str) -> str:
        """The valid filters as a query string (``?from=2015&kind=talks``), for the links
        from the map and the network to pages with the same filters."""
        data = self.cleaned_data
        person, country = data.get("person"), data.get("country")
        params = {
            "from": data.get("from"),
            "to": data.get("to"),
            "kind": data.get("kind"),
            "person": person.pk if person else None,
            "country": country.code if country else None,
            **extra,
        }
        pairs = [(k, v) for k, v in params.items() if v not in (None, "")]
        return f"?{urlencode(pairs)}" if pairs else ""


def list_query(filters: Filters, country: str = "") -> str:
    """The meeting list's parameters for the same filters (its names differ)."""
    pairs: list[tuple[str, object]] = []
    if country or filters.country:
        pairs.append(("country", country or filters.country))
    if filters.year_from is not None:
        pairs.append(("date_from", f"{filters.year_from}-01-01"))
    if filters.year_to is not None:
        pairs.append(("date_to", f"{filters.year_to}-12-31"))
    if filters.kind:
        pairs.append(("kind", filters.kind))
    if filters.person is not None:
        pairs.append(("participant", filters.person))
    return f"?{urlencode(pairs)}" if pairs else ""
