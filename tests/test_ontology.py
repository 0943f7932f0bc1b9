"""The vocabulary files: parley.ttl against the closed namespace, the event-type scheme, the shapes."""

from importlib import resources

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS

from parley.events.model import EVENT_TYPES, GROUPS, group_of
from parley.ontology.namespace import (
    CAMEO, EVENT_CLASSES, FARO, PARLEY, PLOVER, PROV, RELATION_PROPERTIES, SCHEMA, SEM, TYPE,
)

SH = Namespace("http://www.w3.org/ns/shacl#")
NS = str(PARLEY._NS)
FILES = ("parley.ttl", "event-types.ttl", "shapes.ttl")


def text(name: str) -> str:
    return resources.files("parley.ontology").joinpath(name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data=text("parley.ttl"), format="turtle")


@pytest.fixture(scope="module")
def types() -> Graph:
    return Graph().parse(data=text("event-types.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=text("shapes.ttl"), format="turtle")


def namespace_terms() -> set[str]:
    return set(PARLEY.__annotations__)


# --- the closed namespace, both ways -----------------------------------------------------------------------------

def test_every_namespace_term_is_declared_with_a_label_and_a_definition(ontology):
    for name in sorted(namespace_terms()):
        term = PARLEY[name]
        kinds = set(ontology.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, f"{name} is not declared"
        assert ontology.value(term, RDFS.label) is not None, f"{name} has no rdfs:label"
        definition = ontology.value(term, SKOS.definition) or ontology.value(term, RDFS.comment)
        assert definition is not None and len(str(definition).split()) >= 5, f"{name} has no real definition"


def test_every_parley_subject_of_the_ontology_is_in_the_namespace(ontology):
    subjects = {str(s)[len(NS):] for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    assert subjects == namespace_terms()


def test_every_parley_term_used_anywhere_is_in_the_namespace():
    for name in FILES:
        g = Graph().parse(data=text(name), format="turtle")
        used = {str(t)[len(NS):] for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
        assert used <= namespace_terms(), f"{name} uses terms outside the namespace: {used - namespace_terms()}"


def test_a_misspelt_term_fails():
    with pytest.raises(AttributeError):
        PARLEY.Evnet  # noqa: B018


def test_classes_and_properties_are_kept_apart(ontology):
    for name in namespace_terms():
        kinds = set(ontology.objects(PARLEY[name], RDF.type))
        is_class = OWL.Class in kinds
        is_property = bool(kinds & {OWL.ObjectProperty, OWL.DatatypeProperty})
        assert is_class != is_property, name
        assert is_class == name[0].isupper(), f"{name}: classes are capitalised, properties are not"


# --- alignment -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sub, sup", [
    (PARLEY.Event, SEM.Event), (PARLEY.Actor, SEM.Actor), (PARLEY.Source, PROV.Entity),
    (PARLEY.TariffMeasure, PARLEY.Lever), (PARLEY.TariffMeasure, SCHEMA.Legislation),
    (PARLEY.EventType, SKOS.Concept),
])
def test_alignment(ontology, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in ontology


def test_one_event_class_per_type_tied_to_its_concept(ontology):
    for event_type, cls in EVENT_CLASSES.items():
        assert (cls, RDFS.subClassOf, PARLEY.Event) in ontology
        restrictions = [r for r in ontology.objects(cls, RDFS.subClassOf)
                        if ontology.value(r, OWL.onProperty) == PARLEY.eventType]
        assert [ontology.value(r, OWL.hasValue) for r in restrictions] == [TYPE[event_type]]


def test_actor_kinds_and_measures_are_subclasses(ontology):
    for kind in ("Person", "Government", "Agency", "Court", "Organization", "CriminalGroup"):
        assert (PARLEY[kind], RDFS.subClassOf, PARLEY.Actor) in ontology
    for kind in ("Deployment", "Enforcement", "Extradition", "Sanction", "Other"):
        assert (PARLEY[f"{kind}Measure"], RDFS.subClassOf, PARLEY.Lever) in ontology


def test_every_relation_is_a_subproperty_of_leads_to(ontology):
    for prop in RELATION_PROPERTIES.values():
        assert (prop, RDFS.subPropertyOf, PARLEY.leadsTo) in ontology
        assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    for prop in (FARO.causes, FARO.enables, FARO.prevents):
        assert (prop, RDFS.isDefinedBy, URIRef("http://purl.org/faro/")) in ontology


def test_ontology_header(ontology):
    header = URIRef("https://w3id.org/parley/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/title")) is not None


# --- event types -------------------------------------------------------------------------------------------------

def test_every_event_type_has_a_concept_with_its_group(types):
    scheme = URIRef(str(TYPE))
    assert (scheme, RDF.type, SKOS.ConceptScheme) in types
    for event_type in EVENT_TYPES:
        c = TYPE[event_type]
        assert (c, RDF.type, SKOS.Concept) in types
        assert (c, RDF.type, PARLEY.EventType) in types
        assert (c, SKOS.inScheme, scheme) in types
        assert types.value(c, SKOS.notation) == Literal(event_type)
        assert types.value(c, SKOS.prefLabel) is not None
        assert types.value(c, SKOS.definition) is not None
        assert types.value(c, PARLEY.group) == Literal(group_of(event_type))
    concepts = set(types.subjects(SKOS.inScheme, scheme))
    assert concepts == {TYPE[t] for t in EVENT_TYPES}


def test_groups_match_the_model(types):
    for group, members in GROUPS.items():
        assert set(types.subjects(PARLEY.group, Literal(group))) == {TYPE[t] for t in members}


def test_mappings_point_at_declared_cameo_and_plover_concepts(types):
    targets = set()
    for prop in (SKOS.exactMatch, SKOS.closeMatch):
        for s, o in types.subject_objects(prop):
            assert str(s).startswith(str(TYPE))
            targets.add(o)
    assert targets
    for o in targets:
        assert str(o).startswith((str(CAMEO), str(PLOVER))), o
        assert (o, RDF.type, SKOS.Concept) in types
        assert types.value(o, SKOS.notation) is not None
        assert types.value(o, SKOS.prefLabel) is not None


def test_a_few_mappings(types):
    assert (TYPE.call, SKOS.exactMatch, CAMEO["041"]) in types
    assert (TYPE["tariff-imposition"], SKOS.closeMatch, CAMEO["163"]) in types
    assert (TYPE.reprieve, SKOS.closeMatch, PLOVER.CONCEDE) in types
    assert (TYPE["troop-deployment"], SKOS.exactMatch, CAMEO["154"]) in types
    assert not set(types.objects(TYPE.statistic, SKOS.exactMatch)) | set(types.objects(TYPE.statistic, SKOS.closeMatch))


def test_exact_matches_do_not_merge_concepts(types):
    # skos:exactMatch is transitive: one exact match per target, or two parley types would become one.
    targets = [o for _, o in types.subject_objects(SKOS.exactMatch)]
    assert len(targets) == len(set(targets))


# --- shapes and parsing ------------------------------------------------------------------------------------------

def test_every_shape_has_a_message_and_a_target(shapes):
    found = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(found) > 30
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf)
    for shape in found:
        assert shapes.value(shape, SH.message) is not None, shape
        assert any(shapes.value(shape, t) is not None for t in targets), shape


def test_shape_targets_are_parley_classes_declared_in_the_ontology(ontology, shapes):
    for cls in shapes.objects(None, SH.targetClass):
        assert (cls, RDF.type, OWL.Class) in ontology, cls


@pytest.mark.parametrize("name", FILES)
def test_parses_in_pyoxigraph(name):
    import pyoxigraph

    triples = list(pyoxigraph.parse(text(name).encode(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(Graph().parse(data=text(name), format="turtle"))
