"""The form kit: what every form of every app does the same way (anmin.core.formkit)."""

from __future__ import annotations

import re

from django import forms

from anmin.core.codes import load_code_tables
from anmin.core.formkit import (
    KitForm,
    PersonChoiceField,
    grouped_code_choices,
)
from anmin.core.models import OrgUnit, Region, User


class Sample(KitForm):
    version = forms.IntegerField()
    title = forms.CharField(label="标题")
    place = forms.ModelChoiceField(label="地点", queryset=Region.objects.none())
    kind = forms.ChoiceField(label="类型", choices=[("", "---------"), ("a", "甲")])
    agree = forms.BooleanField(label="已核实", required=False)
    photos = forms.FileField(label="照片", required=False)

    def __init__(self, *args, grid=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Region.objects.filter(pk=grid.pk)


def test_every_error_at_once_in_one_wording_and_internal_fields_hidden(world):
    form = Sample({"version": "3"}, grid=world.gc_grid)
    assert not form.is_valid()
    assert form.errors == {"title": ["「标题」为必填项"], "place": ["「地点」为必填项"], "kind": ["「类型」为必填项"]}
    html = str(form)
    assert 'type="hidden" name="version"' in html
    assert "版本" not in html


def test_a_hidden_value_that_comes_back_wrong_says_the_page_is_stale_not_an_empty_label(world):
    """The user cannot see or correct a version or key the page carries: "「」须为整数" named nothing."""
    for junk in ("abc", "", "a\x00b"):
        form = Sample({"version": junk, "title": "标题", "kind": "a", "place": world.gc_grid.pk}, grid=world.gc_grid)
        assert not form.is_valid()
        assert form.errors == {"version": ["页面数据已过期或不完整，请重新打开本页后再提交"]}, junk


def test_the_banner_says_a_hidden_fields_error_in_words_and_counts_only_fields_marked_red(world):
    """With only the page's version wrong, "有 1 处需要更正，见下方标红的栏目" pointed at nothing red."""
    from django.template.loader import render_to_string

    form = Sample({"version": "abc", "title": "标题", "kind": "a", "place": world.gc_grid.pk}, grid=world.gc_grid)
    assert not form.is_valid()
    banner = render_to_string("anmin/_form_errors.html", {"form": form})
    assert "页面数据已过期或不完整，请重新打开本页后再提交" in banner
    assert "处需要更正" not in banner
    form = Sample({"version": "abc", "kind": "a", "place": world.gc_grid.pk}, grid=world.gc_grid)
    assert not form.is_valid()
    banner = render_to_string("anmin/_form_errors.html", {"form": form})
    assert "有 1 处需要更正" in banner
    assert "页面数据已过期" in banner


def test_a_null_character_is_refused_by_the_fields_name(world):
    """Django's Chinese for it, "不允许是用空字符串", reads as if the field were empty and names none."""
    form = Sample({"version": "3", "title": "标\x00题", "kind": "a", "place": world.gc_grid.pk}, grid=world.gc_grid)
    assert not form.is_valid()
    assert form.errors == {"title": ["「标题」不能包含空字符"]}


def test_placeholders_sole_choice_and_camera(world):
    html = "".join(str(f) for f in Sample(grid=world.gc_grid))
    assert "---------" not in html
    assert re.search(rf'<option value="{world.gc_grid.pk}" selected>', html)  # the only place, chosen
    assert re.search(r'<option value="a" selected>甲</option>', html)  # the only kind, chosen
    assert 'capture="environment"' in html
    assert 'accept="image/*"' in html


def test_a_code_table_is_grouped_by_its_parent_in_code_order(db):
    load_code_tables()
    groups = grouped_code_choices("dispute_category")
    codes = [c for _g, options in groups for c, _n in options]
    assert codes == sorted(codes)
    assert all(len(c) == 4 for c in codes)
    assert [g for g, _o in groups][:2] == ["婚恋家庭", "邻里"]
    assert all(not n[:1].isdigit() for _g, options in groups for _c, n in options)  # names, not codes
    first = grouped_code_choices("dispute_category", pick_group=True)[0][1][0]
    assert first == ("01", "婚恋家庭（全部）")  # a filter may pick the whole group


def test_a_person_picker_is_grouped_by_unit_and_narrows_to_the_chosen_unit(world):
    class Handover(KitForm):
        target_org = forms.ModelChoiceField(label="承办单位", queryset=OrgUnit.objects.all(), required=False)
        target_user = PersonChoiceField(label="承办人", queryset=User.objects.none(), required=False,
                                        narrow_by="target_org")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["target_user"].queryset = User.objects.filter(org_unit__isnull=False).order_by("pk")

    html = str(Handover()["target_user"])
    assert 'data-narrow-by="target_org"' in html
    police = world.orgs["gc_police"]
    assert re.search(rf'<optgroup label="{police.name}" data-group="{police.pk}">', html)
    assert "请选择" in html
    assert "---------" not in html


class Amounts(KitForm):
    amount = forms.DecimalField(label="涉及金额(元)", required=False)
    people = forms.IntegerField(label="涉及人数", required=False)
    note = forms.CharField(label="情况描述", max_length=10, min_length=2, required=False)


def test_a_sum_is_a_number_and_a_length_names_its_field(db):
    """A sum of money says 须为数字 (it takes 1234.56), not 须为整数; a text too long or too short names
    its field in the kit's wording, not Django's "确保该变量包含不超过 10 字符"."""
    form = Amounts({"amount": "十万", "people": "两个", "note": "一" * 12})
    assert not form.is_valid()
    assert form.errors["amount"] == ["「涉及金额(元)」须为数字"]
    assert form.errors["people"] == ["「涉及人数」须为整数"]
    assert form.errors["note"] == ["「情况描述」最多10个字（现有12个）"]
    assert Amounts({"note": "一"}).errors["note"] == ["「情况描述」至少2个字（现有1个）"]
    assert Amounts({"amount": "1234.56", "note": "正常"}).is_valid()


class Bounded(KitForm):
    amount = forms.DecimalField(label="涉及金额", min_value=0, max_digits=6, decimal_places=2, required=False)
    score = forms.DecimalField(label="考核得分", max_value=100, decimal_places=1, required=False)
    on = forms.DateField(label="建成日期", required=False)


def test_a_numbers_bounds_and_digits_name_the_field(db):
    """A negative sum, a score over the top and a third decimal say which field and which rule, in the kit's
    wording — not Django's bare "确保该值大于或等于0。" / "确认小数不超过 2 位." (seen on 登记预警线索)."""
    form = Bounded({"amount": "-5", "score": "101"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["「涉及金额」不能小于0"]
    assert form.errors["score"] == ["「考核得分」不能大于100"]
    assert Bounded({"amount": "1.234"}).errors["amount"] == ["「涉及金额」最多保留2位小数"]
    assert Bounded({"amount": "12345.6"}).errors["amount"] == ["「涉及金额」整数部分最多4位"]
    assert Bounded({"score": "9.25"}).errors["score"] == ["「考核得分」最多保留1位小数"]
    assert Bounded({"amount": "12.5", "score": "99.5"}).is_valid()


def test_a_date_field_is_the_native_date_picker(db):
    """A model form's date (a registry's 建成日期) was a bare text box with no format hint."""
    html = str(Bounded()["on"])
    assert 'type="date"' in html
    form = Bounded(initial={"on": __import__("datetime").date(2020, 12, 9)})
    assert 'value="2020-12-09"' in str(form["on"])


def test_a_refused_form_asks_for_its_chosen_files_again_and_only_for_those(world):
    """A file input comes back empty after a refusal: the field that was sent a file says so by name;
    one with an error of its own, or sent nothing, gets no second word; a valid form none at all."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def photo():
        return {"photos": SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg")}

    form = Sample({"version": "1", "kind": "a", "place": world.gc_grid.pk}, photo(), grid=world.gc_grid)
    assert not form.is_valid()
    assert form.errors["photos"] == ["所选的「照片」没有保存，改正后请重新选择"]
    form = Sample({"version": "1", "kind": "a", "place": world.gc_grid.pk}, photo(), grid=world.gc_grid)
    form.fields["photos"].label = "照片（可不填）"  # the note names the field, not its hint
    assert not form.is_valid()
    assert form.errors["photos"] == ["所选的「照片」没有保存，改正后请重新选择"]
    form = Sample({"version": "1", "kind": "a", "place": world.gc_grid.pk}, grid=world.gc_grid)
    assert not form.is_valid()
    assert "photos" not in form.errors
    data = {"version": "1", "title": "标题", "kind": "a", "place": world.gc_grid.pk}
    form = Sample(data, photo(), grid=world.gc_grid)
    assert form.is_valid(), form.errors
    form.add_error("title", "标题重复")  # an action's refusal after validation
    assert form.errors["photos"] == ["所选的「照片」没有保存，改正后请重新选择"]
    from django.utils import translation

    with translation.override("en"):
        form = Sample({"version": "1", "kind": "a", "place": world.gc_grid.pk}, photo(), grid=world.gc_grid)
        assert not form.is_valid()
        assert form.errors["photos"] == [
            "The file(s) chosen for “照片” were not kept: choose them again once corrected"]


class Hazard(KitForm):
    category = forms.ChoiceField(label="隐患类别", choices=[("house", "危房"), ("fence", "护网破损")])
    method = forms.ChoiceField(label="调解方式", choices=[("a", "当面"), ("b", "电话")], initial="b")
    note = forms.ChoiceField(label="备注类型", choices=[("x", "甲"), ("y", "乙")], required=False)
    way = forms.ChoiceField(label="方式", choices=[("p", "走访"), ("q", "电话")], widget=forms.RadioSelect)


def test_a_required_drop_down_nobody_chose_opens_on_choose_and_is_refused_untouched(db):
    """A required drop-down without an empty choice opened on its first option, and a form sent as it
    opened recorded that option (a cut fence filed as 危房): it opens on 请选择 and, untouched, is refused
    by its name. One with a default keeps it; an optional one and radio buttons are as they were."""
    html = re.sub(r">\s+<", "><", "".join(str(f) for f in Hazard()))
    assert '<option value="" selected>请选择</option><option value="house">危房</option>' in html
    assert '<option value="b" selected>电话</option>' in html  # the form's default stands
    assert '<option value="">请选择</option><option value="a">当面</option>' not in html
    note = html.split('name="note"')[1].split("</select>")[0]
    assert '<option value=""' not in note
    assert 'type="radio"' in html
    untouched = Hazard(data={"method": "b", "way": "p"})
    assert not untouched.is_valid()
    assert list(untouched.errors) == ["category"]
    assert Hazard(data={"category": "fence", "method": "b", "way": "p"}).is_valid()
    again = re.sub(r">\s+<", "><", "".join(str(f) for f in untouched))  # the refused form shows 请选择 again, not 危房
    assert '<option value="" selected>请选择</option>' in again
