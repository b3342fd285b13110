"""Protected personal data: ciphertext at rest, masked everywhere, exact search by blind index, key rotation.

No business model has protected fields yet, so these tests use ``Citizen``, a model that exists only
here (isolated app registry); its table is created once for the module on the test database.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import pickle

import pytest
from django import forms
from django.apps.registry import Apps
from django.core.exceptions import FieldError, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.state import ModelState
from django.template import Context, Template
from django.test.utils import isolate_apps
from rest_framework import serializers

from anmin.core.management.commands.keys import Command as KeysCommand
from anmin.core.protected import (
    DecryptionError,
    KeyConfigurationError,
    Protected,
    ProtectedField,
    ProtectedModelMixin,
    blind_lookup,
    get_keyring,
    make_id_number,
    mask_id_number,
    mask_phone,
    mask_text,
    rotation,
)
from anmin.core.protected.checks import check_data_keys
from anmin.core.protected.ciphers import get_cipher
from anmin.core.protected.crypto import encrypt
from anmin.core.protected.keys import (
    KeyRing,
    key_file_path,
    read_key_file,
    reset_keyring_cache,
    update_key_file,
    write_key_file,
)
from anmin.core.protected.values import UNREADABLE

with isolate_apps():

    class Citizen(ProtectedModelMixin, models.Model):
        name = models.CharField(max_length=40, blank=True)
        id_number = ProtectedField("身份证号码", kind="id_number", index=True, unique=True, blank=True)
        phone = ProtectedField("联系电话", kind="phone", index=True, blank=True)
        note = ProtectedField("备注", blank=True)

        class Meta:
            app_label = "protected_tests"

        def __str__(self) -> str:
            return self.name


NUMBER = make_id_number(birth_date=dt.date(1980, 1, 1), region_code="411081", sequence=123)
LEGACY_NUMBER = NUMBER[:6] + NUMBER[8:17]  # the same person's 15-digit number
OTHER_NUMBER = make_id_number(birth_date=dt.date(1992, 7, 15), region_code="411081", sequence=46)
PHONE = "13800138000"
NOTE = "张三，精神分裂症，监护人李四"
PLAINTEXTS = [NUMBER, LEGACY_NUMBER, OTHER_NUMBER, PHONE, NOTE]


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path, monkeypatch):
    """Every test gets its own key file (created on first use, as outside production)."""
    monkeypatch.delenv("ANMIN_DATA_KEYS", raising=False)
    settings.DATA_KEY_FILE = tmp_path / "keys" / "data-keys.json"
    settings.ANMIN_DATA_KEY_RELOAD_SECONDS = 0
    reset_keyring_cache()
    yield settings.DATA_KEY_FILE
    reset_keyring_cache()


@pytest.fixture(scope="module")
def citizen_table(django_db_setup, django_db_blocker):
    # Created outside the per-test transaction: SQLite cannot change its schema inside one.
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Citizen)
        yield Citizen
        with connection.schema_editor() as editor:
            editor.delete_model(Citizen)


@pytest.fixture
def citizens(citizen_table, db, monkeypatch):
    """The Citizen table, with key management looking at it as if it were an installed model."""
    all_columns = rotation.protected_columns
    monkeypatch.setattr(rotation, "protected_columns", lambda models_=None: all_columns([Citizen]))
    return Citizen


def raw_row(pk) -> dict[str, str | None]:
    """The row as the database holds it, read with plain SQL."""
    columns = ["id_number", "id_number_index", "phone", "phone_index", "note"]
    table = connection.ops.quote_name(Citizen._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])  # noqa: S608  (no input)
        return dict(zip(columns, cursor.fetchone(), strict=True))


def set_raw(pk, column: str, value: str) -> None:
    table = connection.ops.quote_name(Citizen._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608  (no input)


def assert_no_plaintext(text: str) -> None:
    for plaintext in PLAINTEXTS:
        assert plaintext not in text
    for i in range(len(NUMBER) - 7):  # not even an 8-digit run of the ID number
        assert NUMBER[i : i + 8] not in text
    assert PHONE[3:] not in text
    assert "精神分裂症" not in text


def make_citizen(**values) -> Citizen:
    return Citizen.objects.create(**{"name": "甲", "id_number": NUMBER, "phone": PHONE, "note": NOTE, **values})


# --- at rest: ciphertext only ---------------------------------------------------------------------------


def test_the_database_holds_only_ciphertext(citizens):
    citizen = make_citizen(phone="+86 138-0013-8000")
    row = raw_row(citizen.pk)
    for column in ("id_number", "phone", "note"):
        assert row[column].startswith("v1:k1:")
    for column in ("id_number_index", "phone_index"):
        assert len(row[column]) == 64
        int(row[column], 16)
    assert_no_plaintext(json.dumps(row, ensure_ascii=False))


def test_equal_values_get_different_ciphertexts_but_the_same_index(citizens):
    first = make_citizen()
    second = make_citizen(id_number=OTHER_NUMBER)
    a, b = raw_row(first.pk), raw_row(second.pk)
    assert a["phone"] != b["phone"]
    assert a["phone_index"] == b["phone_index"]


def test_resaving_an_unchanged_value_keeps_its_ciphertext(citizens):
    citizen = make_citizen()
    before = raw_row(citizen.pk)
    citizen.name = "乙"
    citizen.save()
    Citizen.objects.get(pk=citizen.pk).save()
    assert raw_row(citizen.pk) == before


# --- in use: masked unless revealed ---------------------------------------------------------------------


def test_values_show_masked_wherever_they_are_printed(citizens, caplog):
    make_citizen()
    citizen = Citizen.objects.get()
    masked_number = mask_id_number(NUMBER)
    assert str(citizen.id_number) == masked_number == "411***********" + NUMBER[-4:]
    assert f"{citizen.phone}" == "138****8000"
    assert "%s" % citizen.note == "张***"  # noqa: UP031  (the logging style of formatting)
    assert masked_number in repr(citizen.id_number)
    assert masked_number in repr(Citizen.objects.values("id_number", "phone").get())
    with caplog.at_level(logging.INFO):
        logging.getLogger("anmin.test").info("citizen %s %s %r", citizen.id_number, citizen.phone, vars(citizen))
    assert masked_number in caplog.text
    assert_no_plaintext(caplog.text)


def test_templates_show_masked_values_and_cannot_reveal(citizens):
    citizen = make_citizen()
    template = Template("{{ c.id_number }}|{{ c.phone }}|{{ c.note }}|{{ c.id_number.reveal }}")
    html = template.render(Context({"c": citizen}))
    assert html == f"{mask_id_number(NUMBER)}|138****8000|张***|"
    assert_no_plaintext(html)


def test_the_api_serialises_masked_values_by_default(citizens):
    class CitizenSerializer(serializers.ModelSerializer):
        class Meta:
            model = Citizen
            fields = ["name", "id_number", "phone", "note"]

    data = CitizenSerializer(make_citizen()).data
    assert data["id_number"] == mask_id_number(NUMBER)
    assert data["phone"] == "138****8000"
    assert_no_plaintext(json.dumps(data, ensure_ascii=False))
    with pytest.raises(TypeError):
        json.dumps({"id_number": Citizen.objects.get().id_number})  # refused, not guessed


def test_a_value_is_masked_from_the_moment_it_is_assigned(citizens):
    citizen = Citizen(id_number=LEGACY_NUMBER.lower(), phone="138 0013 8000")
    assert isinstance(citizen.id_number, Protected)
    assert str(citizen.id_number) == mask_id_number(NUMBER)
    assert citizen.id_number.reveal() == NUMBER  # normalised to 18 digits on assignment
    assert citizen.phone.reveal() == PHONE


def test_the_audit_trail_gets_masked_values(citizens):
    citizen = make_citizen()
    masks = {
        f.name: f.audit_mask(getattr(citizen, f.attname))
        for f in Citizen._meta.concrete_fields
        if hasattr(f, "audit_mask")  # how anmin.core.audit.snapshot asks a field to mask itself
    }
    assert set(masks) == {"id_number", "id_number_index", "phone", "phone_index", "note"}
    assert masks["id_number"] == mask_id_number(NUMBER)
    assert masks["phone"] == "138****8000"
    assert masks["id_number_index"] == "******"
    assert_no_plaintext(json.dumps(masks, ensure_ascii=False))


def test_reveal_returns_the_plaintext(citizens):
    make_citizen()
    citizen = Citizen.objects.get()
    assert citizen.id_number.reveal() == NUMBER
    assert citizen.phone.reveal() == PHONE
    assert citizen.note.reveal() == NOTE
    assert citizen.id_number == NUMBER
    assert citizen.id_number.matches(LEGACY_NUMBER)


def test_pickles_carry_only_ciphertext(citizens):
    citizen = Citizen.objects.get(pk=make_citizen().pk)
    loaded = {"id_number": citizen.id_number, "note": citizen.note}  # e.g. a cache entry
    fresh = Citizen(id_number=OTHER_NUMBER).id_number  # never saved: sealed for the pickle alone
    data = pickle.dumps((loaded, fresh))
    assert_no_plaintext(data.decode("latin-1"))
    assert NOTE.encode() not in data
    assert OTHER_NUMBER.encode() not in data
    loaded, fresh = pickle.loads(data)  # noqa: S301  (our own pickle)
    assert (loaded["id_number"].reveal(), loaded["note"].reveal(), fresh.reveal()) == (NUMBER, NOTE, OTHER_NUMBER)


def test_edit_forms_never_send_the_stored_value_and_blank_means_unchanged(citizens):
    class CitizenForm(forms.ModelForm):
        class Meta:
            model = Citizen
            fields = ["name", "id_number", "phone", "note"]

    citizen = make_citizen()
    html = CitizenForm(instance=citizen).as_p()
    assert_no_plaintext(html)
    assert mask_id_number(NUMBER) in html  # as a placeholder

    form = CitizenForm({"name": "甲", "id_number": "", "phone": "", "note": ""}, instance=citizen)
    assert form.is_valid(), form.errors
    assert not form.has_changed() or form.changed_data == []
    form.save()
    assert raw_row(citizen.pk)["id_number"].startswith("v1:")
    saved = Citizen.objects.get(pk=citizen.pk)
    assert (saved.id_number.reveal(), saved.phone.reveal(), saved.note.reveal()) == (NUMBER, PHONE, NOTE)

    form = CitizenForm({"name": "甲", "id_number": "", "phone": "139 0000 1111", "note": ""}, instance=citizen)
    assert form.is_valid(), form.errors
    assert form.changed_data == ["phone"]
    form.save()
    assert Citizen.objects.get(phone="13900001111").pk == citizen.pk


def test_model_validation_reports_bad_numbers_in_chinese_without_the_number(citizens):
    bad = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    citizen = Citizen(name="甲", id_number=bad, phone="12345")
    with pytest.raises(ValidationError) as exc:
        citizen.full_clean()
    errors = exc.value.message_dict
    assert errors["id_number"] == [f"身份证号码校验位错误（第18位应为{NUMBER[17]}）"]
    assert errors["phone"][0].startswith("联系电话")
    assert bad not in str(errors)


# --- search: the blind index ----------------------------------------------------------------------------


def test_the_blind_index_finds_a_person_by_exact_id_number_in_either_form(citizens):
    wanted = make_citizen()
    make_citizen(id_number=OTHER_NUMBER, phone="13900001111")
    assert Citizen.objects.get(id_number=NUMBER) == wanted
    assert Citizen.objects.get(id_number=LEGACY_NUMBER) == wanted
    assert Citizen.objects.get(id_number=NUMBER.lower()) == wanted
    assert Citizen.objects.get(id_number__blind=NUMBER) == wanted
    assert Citizen.objects.get(id_number__iexact=NUMBER.lower()) == wanted  # what the admin's "=id_number" search uses
    assert Citizen.objects.get(**blind_lookup(Citizen, "id_number", LEGACY_NUMBER)) == wanted
    assert Citizen.objects.filter(id_number__in=[NUMBER, OTHER_NUMBER, "no such"]).count() == 2
    assert Citizen.objects.get(phone="+86 138-0013-8000") == wanted
    assert Citizen.objects.exclude(id_number=NUMBER).get().id_number == OTHER_NUMBER
    assert not Citizen.objects.filter(id_number=make_id_number(birth_date=dt.date(1980, 1, 1), sequence=5)).exists()


def test_the_index_is_the_only_searchable_form(citizens):
    make_citizen()
    for lookup in ({"id_number__contains": "1980"}, {"id_number__startswith": "411"}, {"phone__icontains": "138"}):
        with pytest.raises(FieldError):
            list(Citizen.objects.filter(**lookup))
    with pytest.raises(FieldError, match="without a blind index"):
        list(Citizen.objects.filter(note=NOTE))
    assert Citizen.objects.filter(note="").count() == 0  # the empty value is not a secret


def test_the_id_number_is_unique_whatever_form_it_is_entered_in(citizens):
    make_citizen()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_citizen(id_number=LEGACY_NUMBER)
    make_citizen(id_number="", phone="")
    make_citizen(id_number="", phone="")  # empty values are not duplicates


def test_a_partial_save_keeps_the_index_in_step(citizens):
    citizen = make_citizen()
    citizen.id_number = OTHER_NUMBER
    citizen.save(update_fields=["id_number"])
    assert Citizen.objects.get(id_number=OTHER_NUMBER).pk == citizen.pk
    assert not Citizen.objects.filter(id_number=NUMBER).exists()


def test_the_blind_index_key_is_not_an_encryption_key_nor_the_secret_key(citizens, settings):
    ring = get_keyring()
    assert ring.index_key not in [k.secret for k in ring.keys.values()]
    assert settings.SECRET_KEY.encode() not in key_file_path().read_bytes()


# --- integrity: a ciphertext belongs to its column --------------------------------------------------------


def test_a_ciphertext_copied_into_another_column_does_not_decrypt(citizens, caplog):
    citizen = make_citizen()
    row = raw_row(citizen.pk)
    set_raw(citizen.pk, "note", row["id_number"])
    set_raw(citizen.pk, "phone", row["id_number"])
    moved = Citizen.objects.get(pk=citizen.pk)
    with pytest.raises(DecryptionError, match=r"protected_tests\.citizen\.note"):
        moved.note.reveal()
    with pytest.raises(DecryptionError):
        moved.phone.reveal()
    assert str(moved.note) == UNREADABLE  # pages still render
    assert moved.id_number.reveal() == NUMBER
    assert "protected.decrypt_failed" in caplog.text
    assert_no_plaintext(caplog.text)


def test_an_altered_ciphertext_does_not_decrypt(citizens):
    citizen = make_citizen()
    token = raw_row(citizen.pk)["id_number"]
    flipped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    set_raw(citizen.pk, "id_number", flipped)
    with pytest.raises(DecryptionError, match="authentication failed"):
        Citizen.objects.get(pk=citizen.pk).id_number.reveal()


# --- keys -------------------------------------------------------------------------------------------------


def test_outside_production_a_key_file_is_created_readable_by_the_owner_only(key_file):
    assert not key_file.exists()
    ring = get_keyring()
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700
    data = json.loads(key_file.read_text())
    assert data["active"] == ring.active_id == "k1"
    assert data["keys"]["k1"]["cipher"] == "aes-gcm"
    assert len(ring.active.secret) == 32
    assert get_keyring() == read_key_file(key_file)  # and every later call reads the same ring
    assert check_data_keys() == []


def test_in_production_a_missing_key_ring_refuses_to_start(settings, key_file):
    settings.PRODUCTION = True
    with pytest.raises(KeyConfigurationError, match="anmin keys init"):
        get_keyring()
    assert not key_file.exists()
    assert [e.id for e in check_data_keys()] == ["anmin.protected.E101"]
    assert not KeysCommand.requires_system_checks  # the failing check must not block its own remedy
    call_command("keys", "init", stdout=io.StringIO())
    assert get_keyring().active_id == "k1"
    assert check_data_keys() == []


def test_a_key_file_readable_by_others_is_flagged(settings, key_file):
    get_keyring()
    os.chmod(key_file, 0o644)
    assert [e.id for e in check_data_keys()] == ["anmin.protected.W103"]
    settings.PRODUCTION = True
    assert [e.id for e in check_data_keys()] == ["anmin.protected.E103"]


def test_the_key_ring_can_come_from_the_environment(monkeypatch, key_file):
    ring = KeyRing.generate()
    monkeypatch.setenv("ANMIN_DATA_KEYS", ring.to_json())
    assert get_keyring() == ring
    assert get_keyring().source == "$ANMIN_DATA_KEYS"
    assert not key_file.exists()
    with pytest.raises(CommandError, match="环境变量"):
        call_command("keys", "rotate", stdout=io.StringIO())


def test_a_broken_key_ring_is_reported_without_key_material(monkeypatch):
    ring = KeyRing.generate().to_dict()
    secret = ring["keys"]["k1"]["key"]
    ring["keys"]["k1"]["key"] = secret[:-8] + "===="
    monkeypatch.setenv("ANMIN_DATA_KEYS", json.dumps(ring))
    with pytest.raises(KeyConfigurationError) as exc:
        get_keyring()
    assert secret[:16] not in str(exc.value)
    assert "k1" in str(exc.value)


def test_sm4_gcm_matches_the_rfc_8998_vector_and_protects_values(citizens, key_file):
    get_cipher("sm4-gcm").check_available()  # runs the RFC 8998 self-test
    key_file.parent.mkdir(parents=True)
    write_key_file(key_file, KeyRing.generate("sm4-gcm"))
    citizen = make_citizen()
    ring = get_keyring()
    assert (ring.active.cipher, len(ring.active.secret), ring.index_algorithm) == ("sm4-gcm", 16, "hmac-sm3")
    assert_no_plaintext(json.dumps(raw_row(citizen.pk)))
    assert Citizen.objects.get(id_number=LEGACY_NUMBER).id_number.reveal() == NUMBER


# --- rotation ---------------------------------------------------------------------------------------------


def test_rotation_reencrypts_every_value_and_the_old_key_can_then_be_retired(citizens, key_file):
    made = [make_citizen(id_number=make_id_number(birth_date=dt.date(1970, 1, 1), sequence=n)) for n in range(5)]
    index_before = {c.pk: raw_row(c.pk)["id_number_index"] for c in made}
    index_key = get_keyring().index_key

    out = io.StringIO()
    call_command("keys", "rotate", "--batch-size", "2", stdout=out)
    assert "已生成新密钥 k2" in out.getvalue()

    ring = read_key_file(key_file)
    assert ring.active_id == "k2"
    assert set(ring.keys) == {"k1", "k2"}  # the old key stays until retired
    assert ring.index_key == index_key  # the index key never rotates
    for citizen in made:
        row = raw_row(citizen.pk)
        assert row["id_number"].startswith("v1:k2:")
        assert row["note"].startswith("v1:k2:")
        assert row["id_number_index"] == index_before[citizen.pk]
        assert Citizen.objects.get(pk=citizen.pk).id_number == citizen.id_number.reveal()

    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    assert "可停用：anmin keys retire k1" in out.getvalue()
    call_command("keys", "retire", "k1", stdout=io.StringIO())
    ring = read_key_file(key_file)
    assert set(ring.keys) == {"k2"}
    assert "k1" in ring.retired
    assert Citizen.objects.get(pk=made[0].pk).id_number.reveal() == made[0].id_number.reveal()


def test_old_values_still_decrypt_after_a_new_key_until_they_are_reencrypted(citizens, key_file):
    old = make_citizen()
    update_key_file(lambda ring: ring.with_new_active_key())  # what `rotate` does before re-encrypting
    new = make_citizen(id_number=OTHER_NUMBER)
    assert raw_row(old.pk)["id_number"].startswith("v1:k1:")
    assert raw_row(new.pk)["id_number"].startswith("v1:k2:")
    assert Citizen.objects.get(pk=old.pk).id_number.reveal() == NUMBER

    with pytest.raises(CommandError, match="请先运行 anmin keys reencrypt"):
        call_command("keys", "retire", "k1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="当前启用"):
        call_command("keys", "retire", "k2", stdout=io.StringIO())

    call_command("keys", "reencrypt", stdout=io.StringIO())
    assert raw_row(old.pk)["id_number"].startswith("v1:k2:")
    call_command("keys", "retire", "k1", stdout=io.StringIO())
    assert Citizen.objects.get(pk=old.pk).id_number.reveal() == NUMBER


def test_an_interrupted_rotation_continues_without_another_key(citizens, key_file):
    for n in range(5):
        make_citizen(id_number=make_id_number(birth_date=dt.date(1970, 1, 1), sequence=n), note="")
    update_key_file(lambda ring: ring.with_new_active_key())

    class Interrupted(Exception):
        pass

    def stop_after_first_batch(label, done):
        raise Interrupted

    with pytest.raises(Interrupted):
        rotation.reencrypt(batch_size=2, progress=stop_after_first_batch)
    assert rotation.key_usage()["protected_tests.Citizen.id_number"]["k1"] == 3

    out = io.StringIO()
    call_command("keys", "rotate", "--batch-size", "2", stdout=out)
    assert "上次轮换尚未完成" in out.getvalue()
    assert set(read_key_file(key_file).keys) == {"k1", "k2"}  # no k3
    usage = rotation.key_usage()
    assert usage["protected_tests.Citizen.id_number"]["k1"] == 0
    assert usage["protected_tests.Citizen.id_number"]["k2"] == 5
    call_command("keys", "rotate", "--batch-size", "2", stdout=io.StringIO())  # finished: now a new key
    assert read_key_file(key_file).active_id == "k3"


def test_a_rotation_in_another_process_is_picked_up(citizens, key_file, settings):
    settings.ANMIN_DATA_KEY_RELOAD_SECONDS = 3600  # only an unknown key id makes this process look again
    citizen = make_citizen()
    rotated = get_keyring().with_new_active_key()
    write_key_file(key_file, rotated)  # as `keys rotate` in another process would
    set_raw(citizen.pk, "note", encrypt(NOTE, context=Citizen._meta.get_field("note").context, ring=rotated))
    assert Citizen.objects.get(pk=citizen.pk).note.reveal() == NOTE
    assert get_keyring().active_id == "k2"


def test_key_status_lists_keys_and_counts_without_secrets(citizens, key_file):
    make_citizen()
    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    text = out.getvalue()
    assert "当前启用 k1" in text
    assert "protected_tests.Citizen.id_number：k1: 1" in text
    assert read_key_file(key_file).to_dict()["keys"]["k1"]["key"] not in text


# --- schema ---------------------------------------------------------------------------------------------


def test_migrations_see_one_index_column_and_render_it_once():
    state = ModelState.from_model(Citizen)
    assert list(state.fields) == ["id", "name", "id_number", "phone", "note", "id_number_index", "phone_index"]
    rendered = state.render(Apps([]))
    assert [f.name for f in rendered._meta.local_fields] == list(state.fields)
    field = rendered._meta.get_field("id_number")
    assert field.deconstruct()[1:] == Citizen._meta.get_field("id_number").deconstruct()[1:]
    assert rendered._meta.get_field("id_number_index").unique


def test_a_model_without_the_mixin_is_warned_about_partial_saves():
    with isolate_apps():

        class Careless(models.Model):
            phone = ProtectedField(kind="phone", index=True)

            class Meta:
                app_label = "protected_tests"

            def __str__(self) -> str:
                return str(self.phone)

    assert [e.id for e in Careless.check()] == ["anmin.protected.W001"]
    assert [e.id for e in Citizen.check()] == []


def test_masks():
    assert mask_id_number("411081198001011234") == "411***********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("03748123456") == "037****3456"
    assert mask_text("张三丰") == "张***"
    assert mask_text("x") == "***"
    assert mask_text("") == ""
    assert mask_id_number("12345") == "***45"
    assert mask_id_number("1234") == "****"


def test_a_phone_or_id_number_with_no_digits_is_refused_not_stored_empty(citizens):
    """「责任人电话」“见备注”/“无” was saved as an empty number without a word (危险水域 form): the
    normalisation keeps digits only, and an empty value skips the validators."""
    class CitizenForm(forms.ModelForm):
        class Meta:
            model = Citizen
            fields = ["name", "id_number", "phone"]

    form = CitizenForm({"name": "甲", "id_number": "", "phone": "见备注"})
    assert not form.is_valid()
    assert form.errors["phone"][0].startswith("联系电话应为")
    form = CitizenForm({"name": "甲", "id_number": "不详", "phone": ""})
    assert not form.is_valid()
    assert "身份证号码" in form.errors["id_number"][0]
    assert CitizenForm({"name": "甲", "id_number": "", "phone": "138-0013-8000"}).is_valid()
