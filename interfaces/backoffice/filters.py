"""List filters of the back office.

Provinces: 77 links were too many to scan, so units are filtered by the payer's region (13, see
raksa.units.regions) and then by one of that region's provinces (at most 8); the search box also
finds a province by name. Audit log: actions and object types from fixed Thai lists, not from a
DISTINCT over the whole log.
"""

from __future__ import annotations

from django.contrib import admin

from interfaces.backoffice.labels import AUDIT_ACTIONS, OBJECT_TYPES
from raksa.units.models import Province
from raksa.units.regions import REGIONS, region_get, region_of_province


def thai_sort_key(text: str) -> str:
    """Thai dictionary order puts a word by its first consonant: a leading vowel (เ แ โ ใ ไ) comes after it."""
    return text[1] + text[0] + text[2:] if len(text) > 1 and text[0] in "เแโใไ" else text


class RegionFilter(admin.SimpleListFilter):
    title = "เขต สปสช."
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(str(region.number), region.name_th) for region in REGIONS]

    def queryset(self, request, queryset):
        region = region_get(self.value())
        return queryset.filter(province_id__in=region.province_codes) if region else queryset

    def choices(self, changelist):
        # Choosing another region drops the province chosen in the previous one.
        lookups = [None] + [lookup for lookup, _title in self.lookup_choices]
        for choice, lookup in zip(super().choices(changelist), lookups, strict=True):
            choice["query_string"] = changelist.get_query_string(
                {self.parameter_name: lookup} if lookup else {}, [self.parameter_name, ProvinceFilter.parameter_name])
            yield choice


class ProvinceFilter(admin.SimpleListFilter):
    """The provinces of the chosen region (shown once a region, or a province, is chosen)."""

    title = "จังหวัด"
    parameter_name = "province"

    def lookups(self, request, model_admin):
        region = region_get(request.GET.get(RegionFilter.parameter_name)) or region_of_province(
            request.GET.get(self.parameter_name))
        if region is None:
            return []
        provinces = Province.objects.filter(code__in=region.province_codes).values_list("code", "name_th")
        return sorted(provinces, key=lambda choice: thai_sort_key(choice[1]))

    def queryset(self, request, queryset):
        return queryset.filter(province_id=self.value()) if self.value() else queryset


class AuditActionFilter(admin.SimpleListFilter):
    title = "การดำเนินการ"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(AUDIT_ACTIONS.items(), key=lambda item: thai_sort_key(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = "ประเภทข้อมูล"
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        return sorted(OBJECT_TYPES.items(), key=lambda item: thai_sort_key(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


def province_choices_by_region() -> list:
    """The province select's choices grouped by region (``<optgroup>``), names sorted in Thai."""
    names = dict(Province.objects.values_list("code", "name_th"))
    return [("", "---------")] + [
        (region.name_th, sorted(((code, names[code]) for code in region.province_codes if code in names),
                                key=lambda choice: thai_sort_key(choice[1])))
        for region in REGIONS]
