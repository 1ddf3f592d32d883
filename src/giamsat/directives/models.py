"""The registry of party documents (directives) and the cascade of implementing documents."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from giamsat.core.models import TimeStampedModel
from giamsat.core.text import search_key
from giamsat.directives.symbols import TYPE_CODES, SymbolError, format_symbol, parse_symbol

DOC_TYPE_CHOICES = [(code, f"{code} ({name})") for code, name in TYPE_CODES.items()]


class DirectiveStatus(models.TextChoices):
    IN_FORCE = "in_force", _("in force")
    REPLACED = "replaced", _("replaced")
    EXPIRED = "expired", _("no longer in force")


class DirectiveQuerySet(models.QuerySet):
    def search(self, text: str) -> DirectiveQuerySet:
        """By symbol (any accepted spelling, aliases included) or by words without diacritics.

        Text that parses as a symbol finds the documents with that symbol or alias; when there
        is none, and for any other text, the words are matched against symbol, title and
        aliases (so "21-KL" also finds the documents that cite it).
        """
        text = text.strip()
        if not text:
            return self
        try:
            parsed = parse_symbol(text)
        except SymbolError:
            pass
        else:
            symbol = format_symbol(parsed)
            exact = self.filter(
                pk__in=Directive.objects.filter(
                    Q(symbol=symbol) | Q(aliases__symbol=symbol)
                ).values("pk")
            )
            if exact.exists():
                return exact
        key = search_key(text)
        return self.filter(Q(title_search__contains=key) | Q(alias_search__contains=key))


class Directive(TimeStampedModel):
    doc_type = models.CharField(_("document type"), max_length=8, choices=DOC_TYPE_CHOICES)
    number = models.PositiveIntegerField(_("number"))
    issuer_code = models.CharField(_("issuer code"), max_length=20)
    symbol = models.CharField(_("number and symbol"), max_length=40, db_index=True, editable=False)
    issued_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=600)
    summary = models.TextField(_("summary"), blank=True)
    issuing_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="directives"
    )
    # The organ named in the title or signature ("Bộ Chính trị", "Ban Bí thư") when the
    # issuing-body line is the committee ("BAN CHẤP HÀNH TRUNG ƯƠNG").
    issuing_body_name = models.CharField(_("issuing body"), max_length=200, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DirectiveStatus.choices,
        default=DirectiveStatus.IN_FORCE,
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    replaced_on = models.DateField(_("replaced on"), null=True, blank=True)
    implements = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implementing_documents",
        verbose_name=_("implements"),
    )
    title_search = models.CharField(max_length=600, editable=False, db_index=True)
    # Search text of known aliases (malformed spellings seen in the wild), kept for search.
    alias_search = models.CharField(max_length=600, editable=False, blank=True)
    source_note = models.CharField(_("source"), max_length=500, blank=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "symbol"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        constraints = [
            # Numbers run per type within a committee term (HD 36 điểm 1.3.1), so the same
            # symbol recurs across terms (the date tells them apart) and across committees of
            # the same kind: two ward committees may both issue "01-KH/ĐU" on the same day.
            models.UniqueConstraint(
                fields=["symbol", "issued_on", "issuing_unit"], name="directive_symbol_date_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.issued_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.symbol = format_symbol(
            number=self.number, type_code=self.doc_type, issuer_code=self.issuer_code
        )
        self.title_search = search_key(f"{self.symbol} {self.title}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directives:detail", args=[self.pk])

    @property
    def label(self) -> str:
        """E.g. "Kế hoạch 03-KH/TW" for lists and report text."""
        names = TYPE_CODES.get(self.doc_type, "").split(" / ")
        # "QĐ" is both quyết định and quy định (37-QĐ/TW is a Quy định): the title says which.
        title = self.title.casefold()
        name = next((n for n in names if n and title.startswith(n)), names[0])
        return f"{name.capitalize()} {self.symbol}".strip()

    def cascade_up(self) -> list[Directive]:
        """The chain of documents this one implements, nearest first."""
        chain: list[Directive] = []
        current = self.implements
        while current is not None and current not in chain and len(chain) < 20:
            chain.append(current)
            current = current.implements
        return chain


class DirectiveAlias(models.Model):
    """Another spelling under which a directive is cited, e.g. "03-KL/TƯ" for 03-KH/TW."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(_("text as written"), max_length=60)
    symbol = models.CharField(_("normalised symbol"), max_length=40, blank=True, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("alias")

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        try:
            self.symbol = format_symbol(parse_symbol(self.text))
        except SymbolError:
            self.symbol = ""
        super().save(*args, **kwargs)
        aliases = " ".join(a.text for a in self.directive.aliases.all())
        Directive.objects.filter(pk=self.directive_id).update(alias_search=search_key(aliases))


class DirectiveAttachment(TimeStampedModel):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="directives/%Y/")
    name = models.CharField(_("name"), max_length=255)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.name
