"""Human labels of the controlled vocabularies, translated through the catalogs.

The allowed values live in ``data/datapackage.json``; this module only gives
each value a label (an English msgid). A test fails when a value of the
contract has no label here, so a new theme or unit cannot reach a page raw.
"""

from __future__ import annotations

from impact.i18n import N_, Translator

LABELS: dict[str, dict[str, str]] = {
    "region": {
        "africa": N_("Africa"),
        "americas": N_("Americas"),
        "asia": N_("Asia"),
        "europe": N_("Europe"),
        "oceania": N_("Oceania"),
    },
    "kind": {
        "ngo": N_("NGO"),
        "international_ngo": N_("International NGO"),
        "public_body": N_("Public authority"),
        "public_service": N_("Public service"),
        "citizen_initiative": N_("Citizen initiative"),
        "social_enterprise": N_("Social enterprise"),
        "network": N_("Network"),
        "foundation": N_("Foundation"),
        "company": N_("Company"),
    },
    "theme": {
        "alternative_care": N_("Alternative care"),
        "family_strengthening": N_("Family strengthening"),
        "child_protection": N_("Child protection"),
        "sexual_exploitation": N_("Against sexual exploitation"),
        "education": N_("Education"),
        "health": N_("Health"),
        "psychosocial_support": N_("Psychosocial support"),
        "emergency_response": N_("Emergency response"),
        "early_childhood": N_("Early childhood"),
        "advocacy": N_("Advocacy"),
        "awareness": N_("Awareness raising"),
        "refugee_reception": N_("Refugee reception"),
        "integration": N_("Integration"),
        "housing": N_("Housing"),
        "legal_aid": N_("Legal aid"),
        "employment": N_("Employment"),
        "gender_equality": N_("Gender equality"),
        "violence_prevention": N_("Violence prevention"),
        "food_security": N_("Food security"),
        "community_development": N_("Community development"),
    },
    "group": {
        "all": N_("Everyone"),
        "children": N_("Children"),
        "young_people": N_("Young people"),
        "women": N_("Women"),
        "mothers": N_("Mothers"),
        "parents": N_("Parents"),
        "families": N_("Families"),
        "refugees": N_("Refugees"),
        "asylum_seekers": N_("Asylum seekers"),
        "migrants": N_("Migrants"),
        "professionals": N_("Professionals"),
        "volunteers": N_("Volunteers"),
        "students": N_("Students"),
        "public": N_("General public"),
        "organisations": N_("Organisations"),
    },
    "unit": {
        "persons": N_("persons"),
        "families": N_("families"),
        "households": N_("households"),
        "consultations": N_("consultations"),
        "places": N_("places"),
        "signatures": N_("signatures"),
        "percent": N_("percent"),
        "activities": N_("activities"),
        "sessions": N_("sessions"),
        "items": N_("items"),
        "organisations": N_("organisations"),
        "projects": N_("projects"),
        "measures": N_("measures"),
        "villages": N_("villages"),
        "homes": N_("homes"),
        "hours": N_("hours"),
        "meals": N_("meals"),
        "countries": N_("countries"),
    },
    "measure": {
        "reached": N_("reached"),
        "targeted": N_("targeted"),
        "capacity": N_("capacity"),
        "outcome": N_("outcome"),
        "output": N_("output"),
        "mobilised": N_("mobilised"),
    },
    # The kind of figure as a noun, after a number and its unit: « 4 000 consultations — reach ».
    "measure_kind": {
        "reached": N_("reach"),
        "targeted": N_("target"),
        "capacity": N_("capacity"),
        "outcome": N_("outcome"),
        "output": N_("output"),
        "mobilised": N_("mobilisation"),
    },
    "qualifier": {
        "exact": N_("exact"),
        "at_least": N_("at least"),
        "about": N_("about"),
        "at_most": N_("at most"),
    },
    "context_kind": {
        "context": N_("The world the programmes work in"),
        "campaign_result": N_("Worldwide results of campaigns and networks"),
    },
    "year_basis": {
        "stated": N_("year stated in the source"),
        "source_date": N_("year of the source (none stated)"),
        "inferred": N_("year inferred by the curator from the text"),
    },
}

# Which contract column each vocabulary labels.
VOCAB_COLUMNS = {
    "region": ("countries", "region"),
    "kind": ("organisations", "kind"),
    "theme": ("programmes", "theme"),
    "group": ("beneficiaries", "group"),
    "unit": ("beneficiaries", "unit"),
    "measure": ("beneficiaries", "measure"),
    "measure_kind": ("beneficiaries", "measure"),
    "qualifier": ("beneficiaries", "qualifier"),
    "year_basis": ("beneficiaries", "year_basis"),
    "context_kind": ("context", "kind"),
}


def label(tr: Translator, vocabulary: str, value: str | None) -> str:
    """Translated label of ``value``; an unknown value is shown as it is."""
    if value is None:
        return ""
    msgid = LABELS.get(vocabulary, {}).get(value)
    return tr._(msgid) if msgid else value


def allowed_values(tr: Translator, file: str, column: str | None, codes: list[str]) -> str:
    """The allowed values of a column as a curator may write them: each code, and its
    label in the reader's language when the label says more than the code.

    « all (Iedereen), children (Kinderen), … »: a Dutch curator who reads only the codes
    does not know that « Iedereen » is « all »; the import takes either (see
    ``impact.curation.mapping.enum_lookup``). A column without labels lists its codes.
    """
    resource = file.removesuffix(".csv")
    vocabulary = next((v for v, rc in VOCAB_COLUMNS.items() if rc == (resource, column)), "")
    shown = []
    for code in codes:
        named = label(tr, vocabulary, code)
        same = named.casefold().replace(" ", "_") == code.casefold()
        shown.append(code if same else tr._("{code} ({label})", code=code, label=named))
    return ", ".join(shown)
