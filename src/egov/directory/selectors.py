"""Reads of the directory. The agency tables are small (hundreds of rows), so tree and lineage walks load
the few columns they need once and walk in memory instead of issuing one query per level."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from egov.directory.models import Agency, AgencyKind, AgencySuccession, Official
from egov.directory.validators import QCVN102_RE, QD20_RE

# Order of siblings in the tree: the committee first, then its office, departments, communes last.
KIND_ORDER = {
    AgencyKind.PROVINCE_COMMITTEE: 0,
    AgencyKind.OFFICE: 1,
    AgencyKind.DEPARTMENT: 2,
    AgencyKind.OTHER: 3,
    AgencyKind.DISTRICT: 4,
    AgencyKind.WARD: 5,
    AgencyKind.COMMUNE: 6,
}


def user_agency(user) -> Agency | None:
    """The agency the user works in as an official, or None (citizens, accounts without an official record)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    official = Official.objects.select_related("agency").filter(user_id=user.pk, is_active=True).first()
    return official.agency if official else None


def agency_by_code(code: str, *, queryset: QuerySet | None = None) -> Agency | None:
    """Find an agency by our code, or by either electronic ID code (callers may know only the legal one)."""
    qs = queryset if queryset is not None else Agency.objects.all()
    cleaned = (code or "").strip()
    if not cleaned:
        return None
    agency = qs.filter(code__iexact=cleaned).first()
    if agency is None and QCVN102_RE.fullmatch(cleaned.upper()):
        agency = qs.filter(code_qcvn102=cleaned.upper()).first()
    if agency is None and QD20_RE.fullmatch(cleaned.upper()):
        agency = qs.filter(code_qd20=cleaned.upper()).first()
    return agency


def _parent_map() -> dict[int, int | None]:
    return dict(Agency.objects.values_list("id", "parent_id"))


def agency_descendant_ids(agency: Agency, *, include_self: bool = True) -> set[int]:
    """Ids of the agencies under ``agency`` at any depth (used by policies: an admin manages his subtree)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for agency_id, parent_id in _parent_map().items():
        children[parent_id].append(agency_id)
    found: set[int] = {agency.pk} if include_self else set()
    stack = list(children.get(agency.pk, []))
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    found.discard(None)
    if not include_self:
        found.discard(agency.pk)
    return found


def agency_descendants(agency: Agency, *, include_self: bool = False) -> QuerySet:
    """The agencies under ``agency`` at any depth, as a queryset."""
    return Agency.objects.filter(pk__in=agency_descendant_ids(agency, include_self=include_self))


def agency_ancestor_ids(agency_id: int, *, parents: dict[int, int | None] | None = None) -> list[int]:
    """Ids from the agency's parent up to the root; stops on a (corrupt) cycle instead of looping."""
    parents = parents if parents is not None else _parent_map()
    chain: list[int] = []
    current = parents.get(agency_id)
    while current is not None and current not in chain and current != agency_id:
        chain.append(current)
        current = parents.get(current)
    return chain


def _succession_pairs() -> list[tuple[int, int]]:
    return list(AgencySuccession.objects.values_list("predecessor_id", "successor_id"))


def agency_lineage(agency: Agency) -> set[int]:
    """The agency and all its predecessors, transitively (renamed, merged or split away agencies).

    Records keep the agency they were made in; listing them under ``agency_lineage(successor)`` shows the
    successor everything it inherited."""
    predecessors: dict[int, list[int]] = defaultdict(list)
    for predecessor_id, successor_id in _succession_pairs():
        predecessors[successor_id].append(predecessor_id)
    found = {agency.pk}
    stack = list(predecessors.get(agency.pk, []))
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(predecessors.get(current, []))
    return found


def agency_successor_ids(agency: Agency) -> set[int]:
    """The agencies that took over from ``agency``, transitively (the reverse walk of the lineage)."""
    successors: dict[int, list[int]] = defaultdict(list)
    for predecessor_id, successor_id in _succession_pairs():
        successors[predecessor_id].append(successor_id)
    found: set[int] = set()
    stack = list(successors.get(agency.pk, []))
    while stack:
        current = stack.pop()
        if current in found or current == agency.pk:
            continue
        found.add(current)
        stack.extend(successors.get(current, []))
    return found


def filter_by_agency_lineage(queryset: QuerySet, agency: Agency, *, field_name: str = "agency") -> QuerySet:
    """Records of ``agency`` and of every agency it succeeded, e.g. documents of a merged department."""
    return queryset.filter(**{f"{field_name}__in": agency_lineage(agency)})


@dataclass
class TreeNode:
    agency: Agency
    depth: int = 0
    children: list["TreeNode"] = field(default_factory=list)


def _sort_key(agency: Agency):
    return (KIND_ORDER.get(agency.kind, 9), agency.name.casefold())


def agency_tree(*, queryset: QuerySet | None = None, include_inactive: bool = False) -> list[TreeNode]:
    """The agencies as a forest of nodes, siblings ordered by kind then name.

    An agency whose parent is not in the queryset (hidden or inactive) becomes a root, so nothing vanishes."""
    qs = queryset if queryset is not None else Agency.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    agencies = list(qs)
    nodes = {a.pk: TreeNode(agency=a) for a in agencies}
    roots: list[TreeNode] = []
    for agency in sorted(agencies, key=_sort_key):
        node = nodes[agency.pk]
        parent = nodes.get(agency.parent_id)
        if parent is not None and parent is not node:
            parent.children.append(node)
        else:
            roots.append(node)

    def set_depth(node: TreeNode, depth: int, seen: set[int]) -> None:
        node.depth = depth
        seen.add(node.agency.pk)
        node.children = [c for c in node.children if c.agency.pk not in seen]
        for child in node.children:
            set_depth(child, depth + 1, seen)

    seen: set[int] = set()
    for root in roots:
        set_depth(root, 0, seen)
    return roots


def flatten_tree(roots: list[TreeNode]) -> list[TreeNode]:
    """Depth-first list of the nodes, for tables and exports that keep the tree order."""
    out: list[TreeNode] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def agency_predecessor_links(agency: Agency) -> QuerySet:
    return AgencySuccession.objects.filter(successor=agency).select_related("predecessor").order_by(
        "-effective_date", "predecessor__name"
    )


def agency_successor_links(agency: Agency) -> QuerySet:
    return AgencySuccession.objects.filter(predecessor=agency).select_related("successor").order_by(
        "-effective_date", "successor__name"
    )


def normal_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def fold_text(text: str) -> str:
    """Without tone and vowel marks, đ → d: what people type when they skip diacritics."""
    decomposed = unicodedata.normalize("NFD", normal_text(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def text_matches(query: str, *texts: str) -> bool:
    """Vietnamese search: "so tu phap" finds "Sở Tư pháp"; a query typed with diacritics must match them."""
    wanted = normal_text(query)
    if wanted == fold_text(wanted):
        return any(wanted in fold_text(t) for t in texts if t)
    return any(wanted in normal_text(t) for t in texts if t)
