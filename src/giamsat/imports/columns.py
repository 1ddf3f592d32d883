"""The templates: the columns of each kind of import, how a header is recognised, and the words
accepted in coded columns (kinds, statuses, yes/no).

Headers are matched ignoring case, diacritics and a trailing "(*)": the template's own header
(in Vietnamese or English) and the other spellings below, met in exports of the national member
database and in committees' own spreadsheets, are all recognised. A file with other headers is
mapped once by the user (``ColumnMapping``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from giamsat.core.text import search_key
from giamsat.imports.models import ImportKind
from giamsat.people.models import Gender, MembershipKind, MemberStatus, PostKind
from giamsat.units.models import OrganKind, ReorgKind, UnitKind


@dataclass(frozen=True)
class Column:
    name: str
    label: str | Promise
    help: str | Promise
    example: str = ""
    required: bool = False
    # Other header spellings, written without diacritics (they are matching keys, not UI text).
    aliases: tuple[str, ...] = ()
    width: int = 18
    # Shown in exports to help the reader; never read on import.
    informational: bool = False

    def header(self) -> str:
        return f"{self.label} (*)" if self.required else str(self.label)

    def spellings(self) -> list[str]:
        """Every header accepted for this column, in both languages."""
        found = [str(self.label), self.name]
        for lang in ("vi", "en"):
            with translation.override(lang):
                found.append(str(self.label))
        return [*found, *self.aliases]


@dataclass(frozen=True)
class Template:
    kind: str
    sheet: str | Promise
    columns: tuple[Column, ...]
    notes: tuple[str | Promise, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def importable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.informational)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def expected(self) -> dict[str, list[str]]:
        return {c.name: c.spellings() for c in self.importable}


DATE_HELP = _("Date as dd/mm/yyyy (e.g. 19/05/2005) or yyyy-mm-dd, or an Excel date cell.")
KEEP_HELP = _("Leave empty to keep what giamsat already holds.")

MEMBERS = Template(
    kind=ImportKind.MEMBERS,
    sheet=_("Members"),
    columns=(
        Column(
            "full_name",
            _("Full name"),
            _("Family name, middle name and given name, with Vietnamese diacritics."),
            "Nguyễn Thị Lan",
            required=True,
            aliases=(
                "ho va ten",
                "ho ten",
                "ho va ten dang vien",
                "ten dang vien",
                "ho ten khai sinh",
            ),
            width=26,
        ),
        Column(
            "birth_date",
            _("Birth date"),
            DATE_HELP,
            "12/03/1985",
            required=True,
            aliases=("ngay sinh", "ngay thang nam sinh", "sinh ngay"),
            width=13,
        ),
        Column(
            "gender",
            _("Gender"),
            _("Nam or Nữ."),
            "Nữ",
            aliases=("gioi tinh", "gioi"),
            width=9,
        ),
        Column(
            "party_card_number",
            _("Party card number"),
            _(
                "Number printed on the party card; empty for a probationary member without a card. "
                "Type it as text so that leading zeros are kept."
            ),
            "38012345",
            aliases=("so the dang vien", "so the", "so the dv", "the dang vien"),
        ),
        Column(
            "identity_number",
            _("Identity number"),
            _(
                "Personal identification number (12 digits of the citizen identity card) or the "
                "9-digit old identity card number. Type it as text so that the leading 0 is kept."
            ),
            "038185012345",
            aliases=(
                "so cccd",
                "cccd",
                "so dinh danh",
                "so dinh danh ca nhan",
                "so cmnd",
                "cmnd",
                "cmnd/cccd",
                "so cmnd/cccd",
            ),
        ),
        Column(
            "joined_on",
            _("Joined the Party on"),
            DATE_HELP,
            "19/05/2010",
            aliases=("ngay vao dang", "ngay ket nap", "ngay ket nap dang"),
            width=14,
        ),
        Column(
            "official_on",
            _("Full member since"),
            _("Date recognised as a full member; empty for a probationary member."),
            "19/05/2011",
            aliases=(
                "ngay chinh thuc",
                "ngay cong nhan chinh thuc",
                "ngay duoc cong nhan chinh thuc",
            ),
            width=14,
        ),
        Column(
            "status",
            _("Party status"),
            _("Chính thức (full member) or Dự bị (probationary member)."),
            "Chính thức",
            required=True,
            aliases=("trang thai", "tinh trang", "loai dang vien", "dang vien chinh thuc/du bi"),
            width=12,
        ),
        Column(
            "cell_code",
            _("Cell code"),
            _(
                "Code of the cell (chi bộ) in giamsat, as in the export of party organisations. "
                "The cell must be inside your organisations."
            ),
            "CB-TRUONGTHI-01",
            required=True,
            aliases=(
                "ma chi bo",
                "ma to chuc dang",
                "ma to chuc",
                "ma don vi",
                "ma chi bo sinh hoat",
            ),
            width=20,
        ),
        Column(
            "cell_name",
            _("Cell name"),
            _("Shown for reading only; the cell is found by its code."),
            "Chi bộ khu phố 1",
            aliases=("ten chi bo", "chi bo", "chi bo sinh hoat"),
            width=26,
            informational=True,
        ),
        Column(
            "membership_kind",
            _("Party activity"),
            _("Chính thức (regular party activity, the default) or Tạm thời (temporary)."),
            "Chính thức",
            aliases=("loai sinh hoat", "hinh thuc sinh hoat", "sinh hoat"),
            width=12,
        ),
        Column(
            "membership_from",
            _("In this cell since"),
            _(
                "First day of party activity in this cell. Used when the member is new or moves "
                "here; empty means the date of the data (or the admission date for a new member)."
            ),
            "01/01/2020",
            aliases=("ngay sinh hoat tai chi bo", "sinh hoat tu ngay", "ngay chuyen den"),
            width=14,
        ),
    ),
    notes=(
        _(
            "One row per member. A member already in giamsat is recognised by party card number, "
            "identity number, or full name and birth date (diacritics ignored)."
        ),
        KEEP_HELP,
        _(
            "A member whose cell changes is recorded as a transfer: the old party activity ends the "
            "day before and the new one starts; history is never overwritten."
        ),
        _(
            "Members of the organisation who are not in the file are listed after the import so "
            "that you record whether they transferred out, died or left the Party. Nobody is "
            "deleted."
        ),
    ),
)

UNITS = Template(
    kind=ImportKind.UNITS,
    sheet=_("Organisations"),
    columns=(
        Column(
            "code",
            _("Code"),
            _("A unique code: letters, digits and - _ . / (no spaces)."),
            "CB-TRUONGTHI-01",
            required=True,
            aliases=("ma", "ma to chuc", "ma to chuc dang", "ma don vi"),
            width=20,
        ),
        Column(
            "name",
            _("Name"),
            _("Full name of the party organisation."),
            "Chi bộ khu phố 1",
            required=True,
            aliases=("ten", "ten to chuc", "ten to chuc dang", "ten don vi"),
            width=32,
        ),
        Column(
            "kind",
            _("Kind"),
            _(
                "One of: Đảng bộ trực thuộc Trung ương, Cấp trên cơ sở, Đảng bộ cơ sở, Chi bộ cơ "
                "sở, Đảng bộ bộ phận, Chi bộ, Cơ quan của cấp ủy."
            ),
            "Chi bộ",
            required=True,
            aliases=("loai", "loai to chuc", "loai hinh", "cap"),
            width=22,
        ),
        Column(
            "parent_code",
            _("Parent code"),
            _(
                "Code of the organisation directly above (in giamsat or earlier in this file); "
                "empty only for a top organisation."
            ),
            "DB-TRUONGTHI",
            aliases=("ma cap tren", "ma to chuc cap tren", "ma don vi cap tren", "truc thuoc"),
            width=20,
        ),
        Column(
            "parent_name",
            _("Parent name"),
            _("Shown for reading only; the parent is found by its code."),
            "Đảng bộ phường Trường Thi",
            aliases=("ten cap tren", "ten to chuc cap tren"),
            width=30,
            informational=True,
        ),
        Column(
            "valid_from",
            _("Valid from"),
            _("Date the organisation was established (or started to be recorded)."),
            "01/01/2015",
            required=True,
            aliases=("tu ngay", "ngay thanh lap", "hieu luc tu"),
            width=13,
        ),
        Column(
            "valid_to",
            _("Valid to"),
            _("Last day of the organisation if it has ended (dissolved); otherwise empty."),
            "",
            aliases=("den ngay", "ngay giai the", "ngay ket thuc", "hieu luc den"),
            width=13,
        ),
        Column(
            "organ_kind",
            _("Organ kind"),
            _(
                "Only for an organ of a committee: Ban Thường vụ, Ủy ban Kiểm tra, Văn phòng cấp "
                "ủy, Ban Tổ chức, ..."
            ),
            "",
            aliases=("loai co quan",),
            width=18,
        ),
    ),
    notes=(
        _(
            "An organisation already in giamsat (same code) is compared: a new name is recorded as "
            "a rename and a new parent as a move, both from the date of the data; an end date "
            "dissolves it. Its kind and start date cannot change through an import."
        ),
        _("Rows may come in any order: parents are created before their sub-organisations."),
    ),
)

POSTS = Template(
    kind=ImportKind.POSTS,
    sheet=_("Posts"),
    columns=(
        Column(
            "party_card_number",
            _("Party card number"),
            _("The person is found by party card number, identity number, or name and birth date."),
            "38012345",
            aliases=("so the dang vien", "so the"),
        ),
        Column(
            "identity_number",
            _("Identity number"),
            _("12-digit personal identification number, typed as text."),
            "038185012345",
            aliases=("so cccd", "cccd", "so dinh danh", "so dinh danh ca nhan", "so cmnd"),
        ),
        Column(
            "full_name",
            _("Full name"),
            _("Full name of the person (used with the birth date when there is no number)."),
            "Nguyễn Thị Lan",
            aliases=("ho va ten", "ho ten"),
            width=26,
        ),
        Column(
            "birth_date",
            _("Birth date"),
            DATE_HELP,
            "12/03/1985",
            aliases=("ngay sinh",),
            width=13,
        ),
        Column(
            "unit_code",
            _("Organisation code"),
            _("Code of the organisation or organ where the post is held."),
            "CB-TRUONGTHI-01",
            required=True,
            aliases=("ma to chuc", "ma don vi", "ma chi bo", "ma co quan"),
            width=20,
        ),
        Column(
            "unit_name",
            _("Organisation name"),
            _("Shown for reading only; the organisation is found by its code."),
            "Chi bộ khu phố 1",
            aliases=("ten to chuc", "ten don vi"),
            width=28,
            informational=True,
        ),
        Column(
            "post",
            _("Post"),
            _(
                "One of: Bí thư, Phó Bí thư, Ủy viên Ban Thường vụ, Cấp ủy viên, Chủ nhiệm / "
                "Trưởng, Phó Chủ nhiệm / Phó Trưởng, Thành viên, Cán bộ chuyên viên, Khác."
            ),
            "Bí thư",
            required=True,
            aliases=("chuc vu", "chuc danh", "loai chuc vu"),
            width=20,
        ),
        Column(
            "title",
            _("Post title"),
            _("The post as written in decisions; empty means the post's name."),
            "Bí thư chi bộ",
            aliases=("ten chuc vu", "chuc vu day du"),
            width=30,
        ),
        Column(
            "is_head",
            _("Head of the unit"),
            _("Có if this post makes the person head (người đứng đầu) of the organisation."),
            "Có",
            aliases=("nguoi dung dau", "dung dau"),
            width=10,
        ),
        Column(
            "valid_from",
            _("From"),
            DATE_HELP,
            "01/10/2020",
            required=True,
            aliases=("tu ngay", "ngay bat dau", "ngay bo nhiem"),
            width=13,
        ),
        Column(
            "valid_to",
            _("To"),
            _("Last day in the post; empty while it is held."),
            "",
            aliases=("den ngay", "ngay ket thuc", "ngay thoi giu"),
            width=13,
        ),
    ),
    notes=(
        _(
            "A post already in giamsat (same person, organisation, post and start date) is "
            "compared and updated; a new one must not overlap the same post of the same person."
        ),
        _("People must exist in giamsat: import the members first."),
    ),
)

EVENTS = Template(
    kind=ImportKind.EVENTS,
    sheet=_("Reorganisations"),
    columns=(
        Column(
            "event",
            _("Event"),
            _("Thành lập, Đổi tên, Điều chuyển, Sáp nhập (or Hợp nhất), Chia tách, Giải thể."),
            "Sáp nhập",
            required=True,
            aliases=("su kien", "loai su kien", "hinh thuc"),
            width=14,
        ),
        Column(
            "date",
            _("Effective date"),
            _("First day of the new organisation (the old ones end the day before)."),
            "01/07/2025",
            required=True,
            aliases=("ngay hieu luc", "ngay", "tu ngay"),
            width=13,
        ),
        Column(
            "units",
            _("Organisations concerned"),
            _(
                "Codes of the organisations renamed, moved, merged, split or dissolved, "
                "separated by ; (several only for a merge, move or dissolution)."
            ),
            "DB-DIENBIEN; DB-LAMSON",
            aliases=("ma to chuc", "to chuc lien quan", "ma to chuc nguon"),
            width=28,
        ),
        Column(
            "target_code",
            _("Merged into (code)"),
            _("For a merge into an existing organisation: its code."),
            "DB-TRUONGTHI",
            aliases=("sap nhap vao", "ma to chuc dich"),
            width=18,
        ),
        Column(
            "new_code",
            _("New code"),
            _(
                "For an establishment, a merge into a new organisation or a split: code(s) of the "
                "new organisation(s), separated by ; for a split."
            ),
            "",
            aliases=("ma moi",),
            width=18,
        ),
        Column(
            "new_name",
            _("New name"),
            _(
                "New name (rename) or name(s) of the new organisation(s), separated by ; for a split."
            ),
            "",
            aliases=("ten moi",),
            width=28,
        ),
        Column(
            "new_kind",
            _("New kind"),
            _("Kind of the new organisation(s), as in the organisations template."),
            "",
            aliases=("loai moi",),
            width=18,
        ),
        Column(
            "parent_code",
            _("Parent code"),
            _("New parent (establishment, move, merge into a new organisation)."),
            "",
            aliases=("ma cap tren", "truc thuoc"),
            width=18,
        ),
        Column(
            "decision_symbol",
            _("Decision"),
            _("Number and symbol of the deciding document, e.g. 341-QĐ/TW."),
            "125-QĐ/TU",
            aliases=("quyet dinh", "so quyet dinh", "so ky hieu"),
            width=16,
        ),
        Column(
            "decision_date",
            _("Decision date"),
            DATE_HELP,
            "20/06/2025",
            aliases=("ngay quyet dinh", "ngay ky"),
            width=13,
        ),
        Column(
            "note",
            _("Note"),
            _("Free text."),
            "",
            aliases=("ghi chu",),
            width=30,
        ),
    ),
    notes=(
        _(
            "Events are applied in date order through the same rules as the organisation pages: "
            "members and sub-organisations of merged units move to the result, names and links "
            "keep their history."
        ),
        _("An event already recorded (same kind, date and organisations) is left unchanged."),
    ),
)

TEMPLATES: dict[str, Template] = {t.kind: t for t in (UNITS, MEMBERS, POSTS, EVENTS)}


# --- coded values ----------------------------------------------------------------------------


def _vocabulary(
    choices: Iterable[tuple[str, str | Promise]], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """search key of every spelling → value: the code, its label in both languages, aliases."""
    vocab: dict[str, str] = {}
    for value, label in choices:
        vocab[search_key(value)] = value
        vocab[search_key(value.replace("_", " "))] = value
        for lang in ("vi", "en"):
            with translation.override(lang):
                vocab[search_key(str(label))] = value
    for alias, value in (aliases or {}).items():
        vocab[search_key(alias)] = value
    return vocab


@cache
def unit_kinds() -> dict[str, str]:
    return _vocabulary(
        UnitKind.choices,
        {
            "dang bo tinh": UnitKind.UNDER_CENTRE,
            "dang bo thanh pho truc thuoc trung uong": UnitKind.UNDER_CENTRE,
            "tren co so": UnitKind.UPPER_GRASSROOTS,
            "dang bo cap tren co so": UnitKind.UPPER_GRASSROOTS,
            "dang bo huyen": UnitKind.UPPER_GRASSROOTS,
            "dang bo xa": UnitKind.GRASSROOTS_ORG,
            "dang bo phuong": UnitKind.GRASSROOTS_ORG,
            "to chuc co so dang": UnitKind.GRASSROOTS_ORG,
            "chi bo truc thuoc": UnitKind.CELL,
            "co quan": UnitKind.ORGAN,
            "co quan cap uy": UnitKind.ORGAN,
        },
    )


@cache
def organ_kinds() -> dict[str, str]:
    return _vocabulary(
        OrganKind.choices,
        {
            "btv": OrganKind.STANDING_COMMITTEE,
            "ubkt": OrganKind.INSPECTION_COMMISSION,
            "uy ban kiem tra": OrganKind.INSPECTION_COMMISSION,
            "van phong": OrganKind.OFFICE,
            "bch": OrganKind.EXECUTIVE_COMMITTEE,
        },
    )


@cache
def statuses() -> dict[str, str]:
    return _vocabulary(
        [
            (MemberStatus.FULL, MemberStatus.FULL.label),
            (MemberStatus.PROBATIONARY, MemberStatus.PROBATIONARY.label),
        ],
        {
            "chinh thuc": MemberStatus.FULL,
            "dang vien chinh thuc": MemberStatus.FULL,
            "ct": MemberStatus.FULL,
            "du bi": MemberStatus.PROBATIONARY,
            "dang vien du bi": MemberStatus.PROBATIONARY,
            "db": MemberStatus.PROBATIONARY,
        },
    )


@cache
def genders() -> dict[str, str]:
    return _vocabulary(
        Gender.choices,
        {"nam": Gender.MALE, "nu": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE},
    )


@cache
def membership_kinds() -> dict[str, str]:
    return _vocabulary(
        MembershipKind.choices,
        {
            "chinh thuc": MembershipKind.REGULAR,
            "tam thoi": MembershipKind.TEMPORARY,
            "sinh hoat tam thoi": MembershipKind.TEMPORARY,
        },
    )


@cache
def post_kinds() -> dict[str, str]:
    return _vocabulary(
        PostKind.choices,
        {
            "ubtv": PostKind.STANDING_MEMBER,
            "uy vien ban thuong vu": PostKind.STANDING_MEMBER,
            "uy vien btv": PostKind.STANDING_MEMBER,
            "cap uy vien": PostKind.COMMITTEE_MEMBER,
            "uy vien ban chap hanh": PostKind.COMMITTEE_MEMBER,
            "chi uy vien": PostKind.COMMITTEE_MEMBER,
            "chu nhiem": PostKind.CHAIR,
            "truong ban": PostKind.CHAIR,
            "pho chu nhiem": PostKind.DEPUTY_CHAIR,
            "pho truong ban": PostKind.DEPUTY_CHAIR,
            "uy vien": PostKind.MEMBER,
            "chuyen vien": PostKind.STAFF,
            "can bo chuyen vien": PostKind.STAFF,
        },
    )


@cache
def event_kinds() -> dict[str, str]:
    return _vocabulary(
        ReorgKind.choices,
        {
            "thanh lap": ReorgKind.ESTABLISH,
            "doi ten": ReorgKind.RENAME,
            "dieu chuyen": ReorgKind.MOVE,
            "chuyen": ReorgKind.MOVE,
            "sap nhap": ReorgKind.MERGE,
            "hop nhat": ReorgKind.MERGE,
            "chia tach": ReorgKind.SPLIT,
            "tach": ReorgKind.SPLIT,
            "giai the": ReorgKind.DISSOLVE,
        },
    )


YES = frozenset({"co", "x", "1", "true", "yes", "dung", "phai", "c"})
NO = frozenset({"khong", "0", "false", "no", "k", "sai"})
