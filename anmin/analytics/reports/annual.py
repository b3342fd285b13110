"""The year-end report's default outline (工作总结), shaped like the seed: eight sections with the
seed's two-line headings, each opened by a framing sentence and made of 一是…二是… paragraphs whose
figures are KPI placeholders (``anmin.core.registry.ReportParagraph``).

The outline is the city office's document, so analytics registers it; a domain adds paragraphs to a
section (or a section of its own) from its ``AppConfig.ready()``. The placeholders name the KPI keys
each figure needs — also those of domains not built yet (crackdown, prevention, campaigns, hazards,
antifraud): until such a KPI is registered the report prints a marked gap, never a number.
docs/analytics.md lists the keys.
"""

from __future__ import annotations

from anmin.core.registry import ReportParagraph, ReportSection, report_paragraphs, report_sections

SECTIONS = (
    ReportSection("leadership", "立足群众“大平安”", "强化责任落实 夯实平安建设组织保障", 10,
                  "平安{city}怎么建，党的领导是关键。建设更高水平的平安{city}是一项系统工程，离不开坚强有力的组织保障。"),
    ReportSection("crackdown", "守护群众“平安梦”", "深化“六清行动” 强力推进扫黑除恶工作", 20,
                  "我市坚持把扫黑除恶专项斗争作为保障人民安居乐业、促进社会安定有序的一项重大政治任务，高位推动，精准施策，重拳出击。"),
    ReportSection("disputes", "解决群众“烦心事”", "践行“枫桥经验” 多元调处化解矛盾纠纷", 30,
                  "治政之要在于安民。坚持和发扬新时代“枫桥经验”，是正确处理群众之间矛盾纠纷的“制胜宝典”。"),
    ReportSection("prevention", "提升群众“安全感”", "开展群防群治 织密织牢治安防控网络", 40,
                  "治安防控只有坚持专群结合、群防群治，才能织密治安防控的“天罗地网”。"),
    ReportSection("campaigns", "凝聚群众“共识度”", "创新方式方法 不断强化平安创建宣传", 50,
                  "只有让人民群众成为参与者、受益者，才能为建设更高水平的平安{city}提供源源不断的智慧和动力支持。"),
    ReportSection("special", "关注群众“身边事”", "紧盯焦点难点 扎实推进政法专项治理", 60,
                  "民之所望，政之所向。聚焦与群众切身利益相关的小事、实事、具体事，扎实开展政法领域专项整治工作。"),
    ReportSection("innovation", "打造群众“服务圈”", "发挥示范作用 探索推进基层治理创新", 70,
                  "围绕提升服务群众的能力和水平，积极探索新路径，积累新经验，不断提高基层治理能力和治理效能。"),
    ReportSection("force", "做好群众“守护人”", "坚持从严从实 着力打造过硬政法铁军", 80,
                  "建设过硬政法队伍，是做好政法工作的重要基础。"),
    ReportSection("closing", "", "", 90,
                  "平安建设只有起点，没有终点。新的一年，我们将坚持以人民为中心的发展思想，不断创新基层社会治理，"
                  "持续完善平安建设各项制度机制，为建设更高水平的平安{city}提供更加安全稳定的保障。"),
)

P = ReportParagraph
PARAGRAPHS = (
    # 1 — leadership, assessment, designations
    P("leadership.organisation", "leadership",
      "一是强化组织领导。全市{{core.townships}}个乡镇(街道)、{{core.villages}}个村(社区)、{{core.grids}}个网格全部纳入平台管理，"
      "建立完善了多部门参与的平安建设工作协调机制。", 10),
    P("leadership.assessment", "leadership",
      "二是强化考评激励。{{assessment.external_units@-1}}个乡镇(街道)被评为许昌市平安建设优秀单位，"
      "{{assessment.external_individuals@-1}}名同志被评为优秀个人。市平安办对{{year-1}}年度全市平安建设工作综合考评结果进行通报，"
      "{{assessment.excellent_townships@-1}}个乡镇(街道)、{{assessment.excellent_departments@-1}}个市直单位被评为优秀单位，"
      "{{assessment.excellent_individuals@-1}}名同志被评为优秀个人。", 20),
    P("leadership.supervision", "leadership",
      "三是强化督促指导。全年对超期未办结事项自动督办{{cases.supervised}}件，切实加强对平安建设工作的督导检查，"
      "认真落实责任人述职、督导考评、反馈通报等工作制度。", 30),
    # 2 — crackdown
    P("crackdown.results", "crackdown",
      "在村(社区)“两委”换届选举期间，严格对候选人进行资格审查，共取消{{crackdown.candidates_rejected}}名候选人资格。"
      "以“三书一函”为抓手，共制发“三书一函”{{crackdown.notices_issued}}份。{{as_of}}，全市共核查各类举报线索"
      "{{crackdown.clues_verified}}条，打掉黑社会性质犯罪团伙{{crackdown.orgs_mafia}}个，恶势力犯罪集团{{crackdown.orgs_evil_group}}个，"
      "恶势力犯罪团伙{{crackdown.orgs_evil_gang}}个，抓获涉黑恶九类犯罪嫌疑人{{crackdown.suspects_caught}}人，"
      "冻结查封各类资产价值{{crackdown.assets_frozen|亿元}}，处理涉黑恶案件腐败、“保护伞”及失职失责人员"
      "{{crackdown.officials_handled}}人。", 10),
    # 3 — disputes
    P("disputes.network", "disputes",
      "一是健全矛盾纠纷整体防控体系。持续推进行业性、专业性人民调解组织建设，注重培育调解优质品牌，"
      "形成了{{disputes.brand_rooms}}个以个人名字命名的“金牌人民调解室”。目前，全市共建立基层矛盾纠纷调解组织"
      "{{disputes.mediation_orgs}}个，拥有专兼职调解员{{disputes.mediators}}人。", 10),
    P("disputes.mechanism", "disputes",
      "二是落实矛盾纠纷排查化解长效机制。各乡镇(街道)、村(社区)依托本级综治中心，坚持台账化管理，"
      "网格员上报网格事件{{grid.reported}}件，办结{{grid.closed}}件，按期办结率{{grid.on_time_rate|pct}}。", 20),
    P("disputes.results", "disputes",
      "三是开展矛盾纠纷排查化解专项行动。今年以来，共排查各类矛盾纠纷{{disputes.found}}件（{{disputes.found|yoy}}），"
      "调解{{disputes.mediated}}件，调解成功{{disputes.succeeded}}件，调解率{{disputes.mediation_rate|pct}}，"
      "调成率{{disputes.success_rate|pct}}，{{disputes.criminal|none:全市无“民转刑”案件发生|全市发生“民转刑”案件{n}件}}。", 30),
    # 4 — prevention
    P("prevention.video", "prevention",
      "一是进一步完善公共安全视频监控体系。高效发挥{{prevention.cameras_township}}路平安乡镇视频监控、"
      "{{prevention.cameras_city}}路平安城市监控以及{{prevention.cameras_campus}}路平安校园视频监控作用。"
      "新型社区共安装摄像头{{prevention.cameras_new_communities|余}}个，监控平台系统{{prevention.platforms_new_communities}}套；"
      "老社区安装摄像头{{prevention.cameras_old_communities|余}}个，监控平台系统{{prevention.platforms_old_communities}}套。"
      "目前，全市共有公共安全视频监控{{prevention.cameras_total|余}}路，“雪亮工程”农村新增布点监控"
      "{{prevention.cameras_planned|余}}路正在建设。", 10),
    P("prevention.patrols", "prevention",
      "二是持续开展群防群治工作。乡镇(街道)治安巡逻队伍（不少于15人）达标率{{prevention.township_patrol_compliance|pct}}，"
      "村(社区)巡逻队伍（不少于10人）达标率{{prevention.village_patrol_compliance|pct}}。", 20),
    # 5 — campaigns
    P("campaigns.publicity", "campaigns",
      "一是认真组织平安创建集中宣传活动。集中宣传活动共展出{{campaigns.publicity_themes}}个方面的{{campaigns.publicity_pictures}}幅精选图片，"
      "展演{{campaigns.publicity_programmes}}个节目，发放宣传彩页{{campaigns.publicity_leaflets|余}}份、宣传手册"
      "{{campaigns.publicity_booklets|余}}册、平安创建宣传品{{campaigns.publicity_gifts|余}}份。", 10),
    P("campaigns.designations", "campaigns",
      "二是大力开展行业平安创建活动。考核命名了{{campaigns.safe_villages}}个“平安村(社区)”、{{campaigns.safe_malls}}个“平安商场”、"
      "{{campaigns.safe_campuses}}个“平安校园”。", 20),
    P("campaigns.insurance", "campaigns",
      "三是积极开展综治保险推进工作。{{as_of}}，全市共参保农户{{campaigns.insured_households}}户。", 30),
    # 6 — special campaigns
    P("special.drunk_driving", "special",
      "持续开展酒驾、醉驾专项整治。{{as_of}}，共处理酒驾、醉驾人员{{hazards.drunk_driving_handled}}人，判处刑事处罚"
      "{{hazards.drunk_driving_criminal}}人，醉驾肇事肇祸案件{{hazards.drunk_driving_accidents|yoy}}。", 10),
    P("special.mental", "special",
      "积极做好严重精神障碍患者救治救助管理，对全市{{care.patients_level_3_up,people.patients_level_3_up}}名三级以上严重精神障碍患者"
      "严格落实监护人“以奖代补”政策和“五位一体”包保责任（管理小组完整{{care.level_3_up_team_complete,people.level_3_up_team_complete}}人），"
      "随访完成率{{care.followup_completion_rate,people.followup_completion_rate|pct}}，"
      "{{care.major_incidents,people.major_incidents|streak:3:全市连续{n}年无发生严重精神障碍肇事肇祸重大案件|全市发生严重精神障碍患者肇祸案件{n}起}}。", 20),
    P("special.fraud", "special",
      "积极开展打防电信诈骗专项整治。今年以来共抓获并采取强制措施犯罪嫌疑人{{antifraud.suspects_detained}}人，逮捕"
      "{{antifraud.suspects_arrested}}人，已移送起诉{{antifraud.suspects_prosecuted}}人，破获带破电信网络诈骗案件"
      "{{antifraud.cases_solved|余}}起，冻结涉案银行卡{{antifraud.cards_frozen}}张，涉案资金{{antifraud.amount_involved|万元}}，"
      "为群众挽回损失{{antifraud.amount_recovered|万元}}，预警拦截劝阻{{antifraud.dissuaded}}人免于被骗。", 30),
    # 7 — innovation
    P("innovation.practices", "innovation",
      "及时总结治理经验。市平安办以“政法工作专报”形式对{{campaigns.practice_reports}}个乡镇(街道)探索总结出的先进做法进行刊发。", 10),
    # 8 — the force
    P("force.police", "force",
      "市公安局开展“大走访大调研大排查”专项活动以及“百万警进千万家”活动，共走访群众{{prevention.police_visits|余}}人，"
      "排查化解矛盾纠纷{{prevention.police_disputes_resolved}}起，抓获各类违法犯罪嫌疑人{{prevention.police_suspects_caught}}人，"
      "服务群众{{prevention.police_people_served|余}}人次。", 10),
)


def register() -> None:
    for section in SECTIONS:
        report_sections.register(section.key, section)
    for paragraph in PARAGRAPHS:
        report_paragraphs.register(paragraph.key, paragraph)
