"""严重精神障碍患者台账 on people's ledger base (``anmin.core.ledgers``): the person's columns and the
patient's. Import goes through ``care.actions.import_patients``; the key stays ``people.mental``."""

from __future__ import annotations

from collections.abc import Sequence

from anmin.core import ledgers
from anmin.people.importers import PeopleLedger, person_columns
from anmin.people.models.choices import TreatmentStatus

from . import actions
from .models import MentalPatient


class PatientLedger(PeopleLedger):
    key = "people.mental"
    title = "严重精神障碍患者台账"
    model = MentalPatient
    existing_is_duplicate = False
    register_model = MentalPatient
    #: The patient's own columns as offices head them; 监护人/姓名 and 监护人/联系电话 under a
    #: 监护人 group belong to the guardian (the kit's group rule), never to the patient.
    header_synonyms = {
        "name": ["患者姓名", "患者"],
        "id_number": ["患者身份证号码", "患者身份证号"],
        "guardian_name": ["监护人"],
        "guardian_phone": ["监护人联系电话", "监护人手机号", "监护人手机号码", "监护人联系方式"],
        "guardian_relation": ["监护人与患者关系", "监护关系", "与患者关系"],
        "risk_level": ["危险性评估", "危险性级别", "风险评估等级", "危险性评估级别"],
        "diagnosis": ["疾病诊断", "诊断结果", "疾病名称", "诊断名称"],
        "has_incident_history": ["肇事肇祸史", "有无肇事肇祸", "是否有肇事肇祸史"],
        "registered_on_patient": ["建档时间", "登记时间"],
    }
    columns = (
        *person_columns("person"),
        ledgers.Column(
            "危险性评估等级",
            "risk_level",
            ledgers.integer(min_value=0, max_value=5),
            required=True,
            aliases=("危险性等级", "风险等级"),
            export=lambda p: f"{p.risk_level}级",  # Chinese in any language: the import reads it back
            width=8,
            help="0至5级",
        ),
        ledgers.Column(
            "诊断", "diagnosis", ledgers.text(max_length=200), aliases=("目前诊断",), export="diagnosis", width=16
        ),
        ledgers.Column("监护人姓名", "guardian_name", ledgers.text(max_length=64), export="guardian_name", width=10),
        ledgers.Column(
            "与患者关系", "guardian_relation", ledgers.text(max_length=16), export="guardian_relation", width=8
        ),
        ledgers.Column(
            "监护人电话", "guardian_phone", ledgers.phone(label="监护人电话"), export="guardian_phone", width=14
        ),
        ledgers.Column(
            "有无肇事肇祸史",
            "has_incident_history",
            ledgers.boolean(),
            default=False,
            export="has_incident_history",
            width=8,
        ),
        ledgers.Column("治疗情况", "treatment", ledgers.choice(TreatmentStatus.choices), export="treatment", width=12),
        ledgers.Column(
            "建档日期", "registered_on_patient", ledgers.date(), aliases=("登记日期",), export="registered_on", width=12
        ),
    )
    unique = ("id_number",)

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        items = []
        for r in rows:
            v = r.values
            items.append(
                {
                    "_person": v.get("_person"),
                    "person": self.person_values(v),
                    "risk_level": v["risk_level"],
                    "registered_on": v.get("registered_on_patient"),
                    "patient": {
                        k: v[k]
                        for k in (
                            "diagnosis",
                            "guardian_name",
                            "guardian_relation",
                            "guardian_phone",
                            "has_incident_history",
                            "treatment",
                        )
                        if v.get(k) not in (None, "")
                    },
                }
            )
        return actions.import_patients(actor=self.user, rows=items, request=self.request)
