"""The fixture world of the permission matrix: for every kind of record, one object in the
scope of the users under test and one out of it (plus a petition they are conflicted on).

Every user holds one role at the city (``Đảng bộ thành phố``). In scope = inside the city's
subtree (ward A and its cells); out of scope = the town next door (``other``), whose records
carry the marker ``ZZOUT`` in their visible text so that a list, a search or an export that
shows one of them is caught. Records a role may only see with a capability carry a
capability marker (``ZZCAP<capability>``); the petition the users are conflicted on carries
``ZZCOI``; the petitioners' sealed identities must never appear in any response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from giamsat.accounts.models import ApiToken, RoleAssignment
from giamsat.accounts.roles import Cap, Role
from giamsat.accounts.scoping import clear_role_cache
from giamsat.core.models import Attachment
from giamsat.delegations import services as delegation_services
from giamsat.delegations.models import MemberRole, NewsItem
from giamsat.directives.models import Directive
from giamsat.discipline.models import Deferral, DisciplineAppeal, DisciplineCase, DisciplineDecision
from giamsat.evaluation import services as evaluation_services
from giamsat.evaluation.models import Evaluation, ReviewSession
from giamsat.implementation.models import Fulfilment, Implementation, KeyTask
from giamsat.imports.models import ImportBatch
from giamsat.oversight.models import (
    Case,
    CaseKind,
    CatalogueItem,
    Commitment,
    CommitmentItem,
    Criticism,
    Programme,
)
from giamsat.people.models import MemberStatus, Person, Post
from giamsat.petitions.models import HotSpotAlert, IdentityGrant
from giamsat.reports.models import GoodPractice, Recommendation
from giamsat.reports.services import generate_report
from giamsat.study.models import StudySession
from giamsat.units.models import UnitKind
from tests.factories import make_member, make_unit, make_user
from tests.implementation.factories import assign
from tests.implementation.factories import make_directive as make_plain_directive
from tests.petitions.factories import IDENTITY_STRINGS, hotline_petition

OUT = "ZZOUT"
COI = "ZZCOI"
NONEXISTENT = 987654


def cap_marker(cap: Cap) -> str:
    return f"ZZCAP{cap.value.upper()}"


# Markers that no response may ever show, whoever asks (sealed identities of petitioners).
ALWAYS_SECRET = IDENTITY_STRINGS

# The capability a role needs to see a record of each kind at all. A role without it gets the
# same answer for an in-scope record as for a record that does not exist. (Kinds missing here —
# units, people, directives — are seen by almost every role; the content markers still apply.)
KIND_CAPABILITY: dict[str, Cap] = {
    "oversight_case": Cap.VIEW_OVERSIGHT,
    "discipline_case": Cap.VIEW_DISCIPLINE,
    "petition": Cap.VIEW_PETITIONS,
    "report": Cap.VIEW_REPORTS,
}


@dataclass
class World:
    units: dict[str, Any]
    users: dict[str, Any]  # role value (or "none") -> user
    objects: dict[str, dict[str, Any]]  # kind -> {"in": obj, "out": obj, "coi": obj?}
    admin: Any
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def pk(self, kind: str, which: str) -> Any:
        if which == "none":
            return NONEXISTENT
        obj = self.objects[kind].get(which)
        if obj is None:
            return None
        return obj if isinstance(obj, int | str) else obj.pk


def _unit(name, kind, parent, **kw):
    return make_unit(name, kind, parent, **kw)


def build_world() -> World:
    d = dt.date
    central = _unit("Ban Chấp hành Trung ương", UnitKind.CENTRAL_COMMITTEE, None, issuer_code="TW")
    province = _unit("Đảng bộ tỉnh", UnitKind.UNDER_CENTRE, central, issuer_code="TU")
    city = _unit("Đảng bộ thành phố", UnitKind.UPPER_GRASSROOTS, province, issuer_code="TU")
    ward = _unit("Đảng bộ phường Trong", UnitKind.GRASSROOTS_ORG, city, issuer_code="ĐU")
    cell = _unit("Chi bộ khu phố Trong", UnitKind.CELL, ward)
    other = _unit(f"Đảng bộ thị xã {OUT}", UnitKind.UPPER_GRASSROOTS, province, issuer_code="TU")
    other_cell = _unit(f"Chi bộ {OUT} 1", UnitKind.GRASSROOTS_CELL, other)
    units = {"central": central, "province": province, "city": city, "ward": ward}
    units.update({"cell": cell, "other": other, "other_cell": other_cell})

    admin = make_user(None, None, username="matrix_admin", is_superuser=True, is_staff=True)
    users: dict[str, Any] = {}
    for role in Role:
        # Each user is a person with no membership (so that conflicts come only from the
        # petition that names them).
        person = Person.objects.create(
            full_name=f"Người dùng {role.value}", status=MemberStatus.NON_MEMBER
        )
        users[role.value] = make_user(role, city, username=f"m_{role.value}", person=person)
    users["none"] = make_user(None, None, username="m_norole")

    objects: dict[str, dict[str, Any]] = {}
    objects["unit"] = {"in": cell, "out": other_cell}

    # People: a member in scope, a member out of scope (with the marker in the name).
    p_in = make_member(cell, full_name="Trần Văn Trong")
    p_out = make_member(other_cell, full_name=f"Lê Văn {OUT}")
    objects["person"] = {"in": p_in, "out": p_out}
    post_in = Post.objects.create(person=p_in, unit=cell, title="Bí thư", valid_from=d(2020, 1, 1))
    post_out = Post.objects.create(
        person=p_out, unit=other_cell, title="Bí thư", valid_from=d(2020, 1, 1)
    )
    objects["post"] = {"in": post_in, "out": post_out}

    # Directives: issued by a ward in scope and by the other town.
    dir_in = Directive.objects.create(
        doc_type="KH",
        number=12,
        issuer_code="ĐU",
        issued_on=d(2022, 2, 1),
        title="Kế hoạch của Đảng ủy phường Trong",
        issuing_unit=ward,
    )
    dir_out = Directive.objects.create(
        doc_type="KH",
        number=7,
        issuer_code="TU",
        issued_on=d(2022, 1, 15),
        title=f"Kế hoạch của Thị ủy {OUT}",
        issuing_unit=other,
    )
    objects["directive"] = {"in": dir_in, "out": dir_out}

    # Implementation: assignments by the ward and by the other town of a central directive.
    central_doc = make_plain_directive(central, number=21, doc_type="KL", issued_on=d(2021, 10, 25))
    a_in = assign(directive=central_doc, unit=city, user=admin)
    a_out = assign(directive=central_doc, unit=other, user=admin)
    objects["assignment"] = {"in": a_in, "out": a_out}
    objects["implementation"] = {
        "in": Implementation.objects.filter(assignment=a_in).first(),
        "out": Implementation.objects.filter(assignment=a_out).first(),
    }
    objects["fulfilment"] = {
        "in": Fulfilment.objects.filter(implementation__assignment=a_in).first(),
        "out": Fulfilment.objects.filter(implementation__assignment=a_out).first(),
    }
    objects["key_task"] = {
        "in": KeyTask.objects.create(
            unit=ward, kind="key_task", title="Nhiệm vụ trọng tâm Trong", opened_on=d(2022, 1, 1)
        ),
        "out": KeyTask.objects.create(
            unit=other, kind="key_task", title=f"Nhiệm vụ {OUT}", opened_on=d(2022, 1, 1)
        ),
    }

    # Study sessions.
    objects["study_session"] = {
        "in": StudySession.objects.create(unit=ward, title="Học tập Trong", date=d(2022, 3, 1)),
        "out": StudySession.objects.create(unit=other, title=f"Học tập {OUT}", date=d(2022, 3, 1)),
    }

    # Import batches.
    def batch(unit, name):
        return ImportBatch.objects.create(
            kind="members",
            unit=unit,
            as_of=d(2022, 1, 1),
            file=ContentFile(b"x", name=name),
            original_name=name,
            sha256=hashlib.sha256(name.encode()).hexdigest(),
            created_by=admin,
            status="ready",
        )

    objects["import_batch"] = {"in": batch(ward, "trong.csv"), "out": batch(other, f"{OUT}.csv")}

    # Oversight: cases, programmes, criticisms, commitments.
    oversight_cap = cap_marker(Cap.VIEW_OVERSIGHT)

    def case(unit, title):
        return Case.objects.create(
            kind=CaseKind.THEMATIC_SUPERVISION,
            conducting_unit=unit,
            title=title,
            decided_on=d(2021, 3, 1),
        )

    objects["oversight_case"] = {
        "in": case(ward, f"Giám sát chuyên đề {oversight_cap}"),
        "out": case(other, f"Giám sát chuyên đề {OUT} {oversight_cap}"),
    }
    objects["programme"] = {
        "in": Programme.objects.create(conducting_unit=ward, year=2022, title="Chương trình Trong"),
        "out": Programme.objects.create(
            conducting_unit=other, year=2022, title=f"Chương trình {OUT}"
        ),
    }
    objects["criticism"] = {
        "in": Criticism.objects.create(
            by_unit=ward, subject_unit=cell, date=d(2022, 5, 1), reason="Phê bình Trong"
        ),
        "out": Criticism.objects.create(
            by_unit=other, subject_unit=other_cell, date=d(2022, 5, 1), reason=f"Phê bình {OUT}"
        ),
    }

    def commitment(unit, text):
        c = Commitment.objects.create(
            supervising_unit=unit, subject_unit=unit, origin_kind="other", signed_on=d(2022, 5, 1)
        )
        item = CommitmentItem.objects.create(commitment=c, text=text, due_on=d(2022, 12, 31))
        return c, item

    c_in, ci_in = commitment(ward, "Cam kết Trong")
    c_out, ci_out = commitment(other, f"Cam kết {OUT}")
    objects["commitment"] = {"in": c_in, "out": c_out}
    objects["commitment_item"] = {"in": ci_in, "out": ci_out}
    item = CatalogueItem.objects.order_by("pk").first()
    objects["catalogue_item"] = {"in": item, "out": None}
    objects["catalogue"] = {"in": item.catalogue.code if item else "none", "out": None}

    # Discipline: a case on a member in scope and one out of scope, each decided and appealed.
    disc_cap = cap_marker(Cap.VIEW_DISCIPLINE)

    def dcase(unit, person, summary):
        c = DisciplineCase.objects.create(
            subject_kind="member",
            person=person,
            unit=unit,
            opened_on=d(2022, 1, 5),
            summary=summary,
        )
        deferral = Deferral.objects.create(
            case=c, reason="serious_illness", valid_from=d(2022, 2, 1)
        )
        decision = DisciplineDecision.objects.create(
            case=c, form="khien_trach", deciding_unit=unit, decided_on=d(2022, 3, 1)
        )
        appeal = DisciplineAppeal.objects.create(
            decision=decision,
            filed_on=d(2022, 3, 10),
            received_on=d(2022, 3, 11),
            resolving_unit=unit,
            level="first",
            grounds="Khiếu nại",
            filing_due=d(2022, 4, 1),
            resolution_due=d(2022, 6, 1),
        )
        return c, deferral, appeal

    dc_in, df_in, ap_in = dcase(cell, p_in, f"Vi phạm đạo đức {disc_cap}")
    dc_out, df_out, ap_out = dcase(other_cell, p_out, f"Vi phạm {OUT} {disc_cap}")
    objects["discipline_case"] = {"in": dc_in, "out": dc_out}
    objects["deferral"] = {"in": df_in, "out": df_out}
    objects["appeal"] = {"in": ap_in, "out": ap_out}

    # Petitions: one in scope, one out of scope, one in scope that names every user's person
    # as the person denounced (so every user is conflicted on it).
    pet_cap = cap_marker(Cap.VIEW_PETITIONS)
    pet_in, _ = hotline_petition(ward, content=f"Tố cáo cán bộ phường Trong {pet_cap}")
    pet_out, _ = hotline_petition(other, content=f"Tố cáo cán bộ {OUT} {pet_cap}")
    pet_coi, _ = hotline_petition(ward, content=f"Tố cáo người dùng {COI} {pet_cap}")
    pet_coi.subject_people.set([u.person for u in users.values() if u.person_id])
    objects["petition"] = {"in": pet_in, "out": pet_out, "coi": pet_coi}

    def grant(petition):
        return IdentityGrant.objects.create(
            petition=petition, grantee=users[Role.INSPECTION.value], request_reason="Xác minh"
        )

    objects["identity_grant"] = {"in": grant(pet_in), "out": grant(pet_out), "coi": grant(pet_coi)}

    def alert(unit, petition, label):
        a = HotSpotAlert.objects.create(
            kind="manual",
            key=label,
            label=label,
            unit=unit,
            window_start=d(2024, 1, 1),
            window_end=d(2024, 3, 31),
            petition_count=1,
        )
        a.petitions.set([petition])
        return a

    objects["alert"] = {
        "in": alert(city, pet_in, "Điểm nóng Trong"),
        "out": alert(other, pet_out, f"Điểm nóng {OUT}"),
        "coi": alert(city, pet_coi, f"Điểm nóng {COI}"),
    }

    # Delegations decided by the city (visiting its ward) and by the other town.
    def delegation(body, target, name):
        dl = delegation_services.create_delegation(
            name=name,
            deciding_body=body,
            decision_symbol="Số 85-QĐ/TU",
            decision_date=d(2022, 8, 15),
            review_start=d(2019, 1, 1),
            review_end=d(2022, 9, 30),
            work_start=d(2022, 9, 1),
            work_end=d(2022, 10, 31),
            targets=[target],
            acting_user=admin,
        )
        member = delegation_services.add_member(
            delegation=dl, role=MemberRole.MEMBER, full_name="Thành viên đoàn", acting_user=admin
        )
        session = delegation_services.schedule_session(
            delegation=dl, unit=target, date=d(2022, 9, 30), acting_user=admin
        )
        request = delegation_services.make_request(
            delegation=dl,
            unit=target,
            kind="other",
            text=f"Yêu cầu {name}",
            deadline=d(2022, 10, 15),
            acting_user=admin,
            session=session,
        )
        news = NewsItem.objects.create(session=session, title=name, lead=name, body=name)
        return dl, member, dl.targets.first(), session, request, news

    parts_in = delegation(city, ward, "Đoàn công tác Trong")
    parts_out = delegation(other, other_cell, f"Đoàn công tác {OUT}")
    for i, kind in enumerate(
        [
            "delegation",
            "delegation_member",
            "delegation_target",
            "working_session",
            "unit_request",
            "news_item",
        ]
    ):
        objects[kind] = {"in": parts_in[i], "out": parts_out[i]}

    # Reports, good practices and recommendations.
    rep_cap = cap_marker(Cap.VIEW_REPORTS)
    r_in = generate_report(unit=ward, start=d(2019, 1, 1), end=d(2022, 9, 30), acting_user=admin)
    r_out = generate_report(unit=other, start=d(2019, 1, 1), end=d(2022, 9, 30), acting_user=admin)
    r_in.subject = f"Báo cáo Trong {rep_cap}"
    r_in.save()
    r_out.subject = f"Báo cáo {OUT} {rep_cap}"
    r_out.save()
    objects["report"] = {"in": r_in, "out": r_out}

    def practice(unit, title):
        return GoodPractice.objects.create(
            unit=unit, title=title, description=title, period_start=d(2022, 1, 1)
        )

    def recommendation(unit, text):
        return Recommendation.objects.create(
            unit=unit,
            addressee_level="province",
            addressee_body="Tỉnh ủy",
            topic=text,
            text=text,
            made_on=d(2022, 9, 30),
            due_on=d(2022, 12, 31),
        )

    objects["good_practice"] = {
        "in": practice(ward, "Cách làm Trong"),
        "out": practice(other, f"Cách làm {OUT}"),
    }
    objects["recommendation"] = {
        "in": recommendation(ward, "Kiến nghị Trong"),
        "out": recommendation(other, f"Kiến nghị {OUT}"),
    }

    # Attachments on directives (served by core:download after the owner's check).
    def attachment(owner, name):
        return Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(owner),
            object_id=owner.pk,
            file=ContentFile(b"%PDF-1.4 test", name=name),
            original_name=name,
            mime_type="application/pdf",
            size=13,
            sha256="0" * 64,
        )

    objects["attachment"] = {
        "in": attachment(dir_in, "trong.pdf"),
        "out": attachment(dir_out, f"{OUT}.pdf"),
        "coi": attachment(pet_coi, f"{COI}.pdf"),
    }

    # Annual review: a campaign of the ward (in scope) and of the other town, each listing its
    # collectives and members, with a review session.
    def campaign(unit):
        c = evaluation_services.create_campaign(organiser=unit, year=2021, acting_user=None)
        session = ReviewSession.objects.create(campaign=c, unit=unit, held_on=d(2021, 12, 15))
        return c, session

    camp_in, rs_in = campaign(ward)
    camp_out, rs_out = campaign(other)
    objects["campaign"] = {"in": camp_in, "out": camp_out}
    objects["review_session"] = {"in": rs_in, "out": rs_out}
    objects["evaluation"] = {
        "in": Evaluation.objects.get(campaign=camp_in, person=p_in),
        "out": Evaluation.objects.get(campaign=camp_out, person=p_out),
    }

    # API tokens: the user's own and somebody else's.
    def token(user, name):
        return ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=hashlib.sha256(name.encode()).hexdigest(),
            prefix=name[:8],
        )

    objects["api_token"] = {"own": None, "out": token(admin, f"tok{OUT}")}
    for user in users.values():
        clear_role_cache(user)
    RoleAssignment.objects.filter(user__in=list(users.values())).update(valid_from=d(2000, 1, 1))
    return World(units=units, users=users, objects=objects, admin=admin)
