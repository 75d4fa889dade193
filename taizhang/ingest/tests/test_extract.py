"""The reader on sentences in the style of campaign and government reports, written here:
every multiplier and approximation word, Chinese numerals, percentages, spaces inside
numbers, pinyin inside a measure word, real parentheses kept, the thing counted before and
after the number, lists, and the numbers that are not statistics."""

from decimal import Decimal

from django.test import SimpleTestCase

from taizhang.ingest.clean import clean
from taizhang.ingest.extract import extract
from taizhang.ingest.numerals import chinese_value

# (sentence, [(value, unit, approximate, a word of the phrase), …]) — the figures, in order.
CORPUS = [
    ("全区共召开动员部署会23场。", [(23, "场", False, "动员部署会")]),
    ("累计开展集中学习研讨1,286场次。", [(1286, "场次", False, "集中学习研讨")]),
    ("参与学习党员3.6万人次。", [(36000, "人次", False, "参与学习党员")]),
    ("全省发放问卷12.5万份。", [(125000, "份", False, "问卷")]),
    ("惠及群众1.2亿人次。", [(120000000, "人次", False, "群众")]),
    ("收集意见建议七千余条。", [(7000, "条", True, "意见建议")]),
    ("培训基层干部一百二十名。", [(120, "名", False, "基层干部")]),
    ("发放学习资料两千七百份。", [(2700, "份", False, "学习资料")]),
    ("走访群众三十五万户。", [(350000, "户", False, "群众")]),
    ("组织专题宣讲近300余场。", [(300, "场", True, "专题宣讲")]),
    ("受教育党员超过5万名。", [(50000, "名", True, "党员")]),
    ("建成服务站点约1200个。", [(1200, "个", True, "服务站点")]),
    ("帮扶困难群众逾800户。", [(800, "户", True, "困难群众")]),
    ("解决实际问题1500项左右。", [(1500, "项", True, "实际问题")]),
    ("累计服务时长达2万小时以上。", [(20000, "小时", True, "服务时长")]),
    ("各级党组织近2000个参加。", [(2000, "个", True, "党组织")]),
    ("共有党员30 多万名参与。", [(300000, "名", True, "党员")]),
    ("新发展党员8.4 万名。", [(84000, "名", False, "党员")]),
    ("开展活动1 024场次。", [(1024, "场次", False, "活动")]),
    ("满意率达到95%。", [(Decimal("0.95"), "%", False, "满意率")]),
    ("群众满意度达百分之九十八。", [(Decimal("0.98"), "%", False, "群众满意度")]),
    ("整改完成率为百分之九十九点五。", [(Decimal("0.995"), "%", False, "整改完成率")]),
    ("实现党员教育全覆盖。", [(1, "%", False, "党员教育")]),
    ("召开座谈会４５场。", [(45, "场", False, "座谈会")]),
    ("开展调研１２０次。", [(120, "次", False, "调研")]),
    ("举办讲座62場(chǎng)次。", [(62, "场次", False, "讲座")]),
    ("建立党组(党委)联系点36个。", [(36, "个", False, "党组(党委)")]),
    ("走访企业、群众1.5万余家(户)。", [(15000, "家(户)", True, "走访企业、群众")]),
    ("组织216名县(市、区)领导干部参加。", [(216, "名", False, "县(市、区)领导干部")]),
    (
        "依托52个红色教育基地、186个党群服务中心开展活动。",
        [(52, "个", False, "红色教育基地"), (186, "个", False, "党群服务中心")],
    ),
    ("4.7万名党员到社区报到。", [(47000, "名", False, "党员")]),
    (
        "共169个厅级单位，其中省直单位84个。",
        [(169, "个", False, "厅级单位"), (84, "个", False, "省直单位")],
    ),
    (
        "投入资金3.5亿元，新建文化礼堂120座。",
        [(350000000, "元", False, "资金"), (120, "座", False, "文化礼堂")],
    ),
    ("整治村庄环境面积12万平方米。", [(120000, "平方米", False, "村庄环境面积")]),
    ("分三批举办读书班六期。", [(6, "期", False, "读书班")]),
    # Not statistics: none of these is reported.
    ("2019年6月以来，全市上下统一部署。", []),
    ("庆祝新中国成立70周年。", []),
    ("第一批主题教育于8月底基本结束，第二批随即启动。", []),
    ("认真学习党的十九届四中全会精神。", []),
    ("贯彻落实省委十四届六次全会部署。", []),
    ("践行“五个始终”“六个带头”公开承诺。", []),
    ("深化“三服务”活动，开展“千名支书讲党课”。", []),
    ("推进“10个100”工程和“5321工作法”。", []),
    ("实施“8+6+3”行动。", []),
    ("打造百个红色基地传薪火品牌。", []),
    ("每位常委联系1家市直单位、1个区县。", []),
    ("八百里四明山，数十载初心不改。", []),
    ("交出一份群众满意的答卷，形成一批好经验。", []),
    ("全面落实“自学5条”要求。", []),
]


class ReaderCorpusTests(SimpleTestCase):
    def test_every_sentence_gives_exactly_its_figures(self):
        for sentence, expected in CORPUS:
            with self.subTest(sentence=sentence):
                cleaned = clean(sentence)
                found = extract(cleaned.text)
                got = [(f.value, f.unit, f.approximate) for f in found]
                want = [(Decimal(v), u, a) for v, u, a, _w in expected]
                self.assertEqual(got, want)
                for figure, (_v, _u, _a, word) in zip(found, expected, strict=True):
                    self.assertIn(word, figure.phrase)

    def test_the_corpus_covers_every_feature(self):
        text = "".join(sentence for sentence, _ in CORPUS)
        for feature in ("万", "亿", "余", "多", "近", "超过", "约", "逾", "左右", "以上", "%",
                        "百分之", "全覆盖", "30 多", "(chǎng)", "(党委)", "(户)", "、", "其中"):  # fmt: skip
            self.assertIn(feature, text)
        self.assertGreaterEqual(len(CORPUS), 40)

    def test_each_figure_points_at_its_place_in_the_original(self):
        original = "召开座谈会６２場(chǎng)次，走访群众 1 200 户。"
        cleaned = clean(original)
        spans = [cleaned.span(f.start, f.end) for f in extract(cleaned.text)]
        self.assertEqual([original[a:b] for a, b in spans], ["６２場(chǎng)次", "1 200 户"])

    def test_a_total_and_its_parts_keep_their_relation(self):
        found = extract(clean("全市共有党组织169个，其中村级党组织84个。").text)
        self.assertEqual([f.relation for f in found], ["total", "part"])

    def test_cleaning_removes_pinyin_keeps_parentheses_and_marks_artifacts(self):
        cleaned = clean(
            "寧波市委領(lǐng)導(dǎo)小組，縣(市、區(qū))，黨組(黨委)，寧??h委，<b>加粗</b>"
        )
        self.assertEqual(cleaned.text, "宁波市委领导小组，县(市、区)，党组(党委)，宁??h委，加粗")
        self.assertEqual([a.kind for a in cleaned.artifacts], ["mojibake", "html", "html"])

    def test_chinese_numerals(self):
        cases = {"七千": 7000, "一百二十": 120, "两千七百": 2700, "十五": 15, "三十五万": 350000,
                 "一亿二千万": 120000000, "九": 9}  # fmt: skip
        for text, value in cases.items():
            self.assertEqual(chinese_value(text), value)
