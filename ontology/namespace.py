"""The parley vocabulary as closed rdflib namespaces, and new_graph() with the prefixes bound once.

`PARLEY.Evnet` raises AttributeError: the namespace is closed (`_fail = True`), and tests/test_ontology.py
checks it against parley.ttl in both directions.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from ..events.model import EVENT_TYPES


class PARLEY(DefinedNamespace):
    _NS = Namespace("https://w3id.org/parley/ontology#")
    _fail = True

    # classes
    Timeline: URIRef
    Event: URIRef
    Call: URIRef
    Visit: URIRef
    Meeting: URIRef
    Statement: URIRef
    Threat: URIRef
    TariffImposition: URIRef
    TariffIncrease: URIRef
    TariffReduction: URIRef
    Reprieve: URIRef
    Exemption: URIRef
    Extension: URIRef
    Agreement: URIRef
    Commitment: URIRef
    TroopDeployment: URIRef
    LabRaid: URIRef
    Seizure: URIRef
    Arrest: URIRef
    Extradition: URIRef
    Designation: URIRef
    Statistic: URIRef
    Ruling: URIRef
    Countermeasure: URIRef
    Actor: URIRef
    Person: URIRef
    Government: URIRef
    Agency: URIRef
    Court: URIRef
    Organization: URIRef
    CriminalGroup: URIRef
    Lever: URIRef
    TariffMeasure: URIRef
    DeploymentMeasure: URIRef
    EnforcementMeasure: URIRef
    ExtraditionMeasure: URIRef
    SanctionMeasure: URIRef
    OtherMeasure: URIRef
    Claim: URIRef
    Outcome: URIRef
    Quantity: URIRef
    Source: URIRef
    EventType: URIRef

    # properties
    inTimeline: URIRef
    eventType: URIRef
    group: URIRef
    target: URIRef
    lever: URIRef
    rate: URIRef
    scope: URIRef
    effective: URIRef
    until: URIRef
    quantity: URIRef
    quantityKind: URIRef
    amount: URIRef
    total: URIRef
    countedSince: URIRef
    amountBound: URIRef
    maxAmount: URIRef
    promises: URIRef
    outcomeNote: URIRef
    datePrecision: URIRef
    definedAt: URIRef
    imposedBy: URIRef
    legalBasis: URIRef
    country: URIRef
    role: URIRef
    cause: URIRef
    effect: URIRef
    relation: URIRef
    claimedBy: URIRef
    confidence: URIRef
    confidenceLevel: URIRef
    evidence: URIRef
    disputedBy: URIRef
    hasOutcome: URIRef
    status: URIRef
    validFrom: URIRef
    validUntil: URIRef
    leadsTo: URIRef
    prompts: URIRef
    inExchangeFor: URIRef
    isConditionOf: URIRef
    deliveredBy: URIRef


SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
FARO = Namespace("http://purl.org/faro/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
TYPE = Namespace("https://w3id.org/parley/event-type/")
CAMEO = Namespace("https://w3id.org/parley/cameo/")
PLOVER = Namespace("https://w3id.org/parley/plover/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "parley": PARLEY._NS, "ptype": TYPE, "sem": SEM, "faro": FARO, "prov": PROV, "schema": SCHEMA,
    "cameo": CAMEO, "plover": PLOVER, "wd": WD,
    "dcterms": Namespace("http://purl.org/dc/terms/"), "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"), "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"), "sh": Namespace("http://www.w3.org/ns/shacl#"),
}

# The relation names of the timeline format and the direct edge each becomes.
RELATION_PROPERTIES = {
    "causes": FARO.causes,
    "enables": FARO.enables,
    "prevents": FARO.prevents,
    "in-response-to": PARLEY.prompts,
    "in-exchange-for": PARLEY.inExchangeFor,
    "conditional-on": PARLEY.isConditionOf,
    "delivered-by": PARLEY.deliveredBy,
}
PROPERTY_RELATIONS = {v: k for k, v in RELATION_PROPERTIES.items()}

ACTOR_CLASSES = {
    "person": PARLEY.Person, "government": PARLEY.Government, "agency": PARLEY.Agency, "court": PARLEY.Court,
    "organization": PARLEY.Organization, "criminal-group": PARLEY.CriminalGroup,
}
LEVER_CLASSES = {
    "tariff": PARLEY.TariffMeasure, "troop-deployment": PARLEY.DeploymentMeasure,
    "enforcement": PARLEY.EnforcementMeasure, "extradition": PARLEY.ExtraditionMeasure,
    "sanction": PARLEY.SanctionMeasure, "other": PARLEY.OtherMeasure,
}


def class_name(event_type: str) -> str:
    """'tariff-imposition' -> 'TariffImposition'."""
    return "".join(part.capitalize() for part in event_type.split("-"))


EVENT_CLASSES = {t: PARLEY[class_name(t)] for t in EVENT_TYPES}
CLASS_EVENT_TYPES = {v: k for k, v in EVENT_CLASSES.items()}


def new_graph(store: str = "Oxigraph", identifier=None):
    """An rdflib Graph on the given store with parley's prefixes bound."""
    from rdflib import Graph

    g = Graph(store=store, identifier=identifier)
    bind_prefixes(g)
    return g


def bind_prefixes(g) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
