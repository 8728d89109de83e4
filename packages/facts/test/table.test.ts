import { describe, expect, it } from 'vitest';
import type { Fact } from '@xunshi/types';
import { createFactExtractor } from '../src/index.js';
import { SHIPPED_UNIT_TYPES } from './support/unit-types.js';

const extractor = createFactExtractor({ unitTypes: SHIPPED_UNIT_TYPES });

type Expected = Record<string, unknown> & { kind: Fact['kind']; text: string };
type Row = [sentence: string, expected: Expected[]];

const amount = (text: string, v: { value?: number; min?: number; max?: number; approx?: true }): Expected => ({ kind: 'amount', text, unit: 'CNY', ...v });
const count = (text: string, value: number, measure: string, more: Record<string, unknown> = {}): Expected => ({ kind: 'count', text, value, measure, ...more });
const ratio = (text: string, value: number, more: Record<string, unknown> = {}): Expected => ({ kind: 'ratio', text, value, ...more });
const period = (text: string, more: Record<string, unknown>): Expected => ({ kind: 'period', text, ...more });
const unit = (text: string, type: string): Expected => ({ kind: 'unitType', text, type });
const quote = (text: string, phrase: string): Expected => ({ kind: 'catchphrase', text, phrase });
const year = (y: string): Record<string, unknown> => ({ from: y, to: y });

/** Each sentence lists ALL the facts expected in it, in output order; offsets are located from `text`. */
const ROWS: Row[] = [
  // Amounts: exact
  ['经查，该单位违规发放津贴补贴，违规费用达18万元。', [amount('18万元', { value: 180000 })]],
  ['物资采购未执行招标程序，涉及金额1.2亿元。', [amount('1.2亿元', { value: 120000000 })]],
  ['追缴资金7.132万元，已全部上缴国库。', [amount('7.132万元', { value: 71320 })]],
  ['违规出借资金一千二百万元，至今未收回。', [amount('一千二百万元', { value: 12000000 })]],
  ['收受“好处费”共计1.5万元。', [quote('“好处费”', '好处费'), amount('1.5万元', { value: 15000 })]],
  ['单笔报销金额为3500元。', [amount('3500元', { value: 3500 })]],
  ['超标准接待费用合计2,345.5元。', [amount('2,345.5元', { value: 2345.5 })]],
  ['某局违规购置车辆，花费三十五万元。', [amount('三十五万元', { value: 350000 })]],
  ['挪用专项资金两千万元用于楼堂馆所建设。', [amount('两千万元', { value: 20000000 })]],
  ['项目结余资金0.5亿元长期闲置。', [amount('0.5亿元', { value: 50000000 })]],
  ['违规列支会议费１８万元。', [amount('１８万元', { value: 180000 })]],
  ['違規發放獎金兩千萬元。', [amount('兩千萬元', { value: 20000000 })]],
  ['套取扶贫资金壹万贰仟元。', [amount('壹万贰仟元', { value: 12000 })]],
  ['全年一般公共预算支出2.5万亿元。', [amount('2.5万亿元', { value: 2500000000000 })]],
  ['国内生产总值529971亿元，同比增长6.7%。', [amount('529971亿元', { value: 52997100000000 }), ratio('同比增长6.7%', 0.067, { change: 'up' })]],
  // Amounts: approximations and bounds
  ['违规占用资金180余万元，造成国有资产流失。', [amount('180余万元', { min: 1800000, max: 1900000, approx: true })]],
  ['工程多计工程量，涉及资金一千多万元。', [amount('一千多万元', { min: 10000000, max: 20000000, approx: true })]],
  ['部分项目资金闲置，总额近5000万元。', [amount('近5000万元', { max: 50000000, approx: true })]],
  ['违规发放福利约30万元。', [amount('约30万元', { min: 300000, max: 300000, approx: true })]],
  ['有的单位招待费超过100万元。', [amount('超过100万元', { min: 1000000 })]],
  ['对单笔50万元以上的支出未集体研究。', [amount('50万元以上', { min: 500000 })]],
  ['个别村集体年收入不足1万元。', [amount('不足1万元', { max: 10000 })]],
  ['违规收受礼金5万余元。', [amount('5万余元', { min: 50000, max: 60000, approx: true })]],
  ['涉案金额达300万元左右。', [amount('300万元左右', { min: 3000000, max: 3000000, approx: true })]],
  ['造成损失数十万元。', [amount('数十万元', { min: 200000, max: 1000000, approx: true })]],
  ['单项工程投资10-20万元不等。', [amount('10-20万元', { min: 100000, max: 200000 })]],
  ['每户补助3000至5000元。', [amount('3000至5000元', { min: 3000, max: 5000 })]],
  ['虚报冒领资金将近二十万元。', [amount('将近二十万元', { max: 200000, approx: true })]],
  ['资金缺口不少于80万元。', [amount('不少于80万元', { min: 800000 })]],
  ['单次采购不超过5万元的可自行采购。', [amount('不超过5万元', { max: 50000 })]],
  ['报销餐费100余元。', [amount('100余元', { min: 100, max: 200, approx: true })]],
  ['涉及金额23余万元。', [amount('23余万元', { min: 230000, max: 240000, approx: true })]],
  ['共计5万美元的境外账户未申报。', []],
  ['涉及资金共计3.5千万元。', [amount('3.5千万元', { value: 35000000 })]],
  ['推进管理一元化改革。', []],
  // Counts
  ['近3年提拔的12名干部中，有3名未履行民主推荐程序。', [period('近3年', { duration: { value: 3, unit: 'year' } }), count('12名干部', 12, '名', { counted: '干部' }), count('3名', 3, '名')]],
  ['有23名党员连续6个月未足额缴纳党费。', [count('23名党员', 23, '名', { counted: '党员' }), period('连续6个月', { duration: { value: 6, unit: 'month' } })]],
  ['有6个项目存在“量身定做”问题。', [count('6个项目', 6, '个', { counted: '项目' }), quote('“量身定做”', '量身定做')]],
  ['对2019年以来的15起违纪问题仅给予组织处理。', [period('2019年以来', { from: '2019' }), count('15起违纪问题', 15, '起', { counted: '违纪问题' })]],
  ['办理营业执照需要跑3趟、提交12份材料。', [count('3趟', 3, '趟'), count('12份材料', 12, '份', { counted: '材料' })]],
  ['要求基层填报8种表格、撰写3份报告。', [count('8种表格', 8, '种', { counted: '表格' }), count('3份报告', 3, '份', { counted: '报告' })]],
  ['巡察发现各类问题120个、形成问题线索39件。', [count('问题120个', 120, '个', { counted: '问题' }), count('问题线索39件', 39, '件', { counted: '问题线索' })]],
  ['立案查处了3名处级干部，其中1人涉嫌受贿。', [count('3名处级干部', 3, '名', { counted: '处级干部' }), count('1人', 1, '人')]],
  ['有5起问题线索本应立案审查。', [count('5起问题线索', 5, '起', { counted: '问题线索' })]],
  ['发现有3名村干部亲属违规享受低保。', [count('3名村干部', 3, '名', { counted: '村干部' })]],
  ['巡视组抽查10个二级学院发现问题。', [count('10个二级学院', 10, '个', { counted: '二级学院' }), unit('学院', 'university')]],
  ['对巡视移交的15件问题线索集中办理。', [count('15件问题线索', 15, '件', { counted: '问题线索' })]],
  ['十五个巡视组分别进驻被巡视单位。', [count('十五个巡视组', 15, '个', { counted: '巡视组' })]],
  ['共有两名领导干部受到诫勉。', [count('两名领导干部', 2, '名', { counted: '领导干部' })]],
  ['区委6個巡察組分別到被巡察單位反饋。', [count('6個巡察組', 6, '个', { counted: '巡察组' })]],
  ['3名黨員幹部受到處分。', [count('3名黨員幹部', 3, '名', { counted: '党员干部' })]],
  ['先后召开4次专题会研究整改。', [count('4次', 4, '次')]],
  ['有10余名干部参与违规吃喝。', [count('10余名干部', 10, '名', { counted: '干部', min: 10, max: 20, approx: true })]],
  ['梳理出十几个问题。', [count('十几个问题', 10, '个', { counted: '问题', min: 10, max: 20, approx: true })]],
  ['审核把关整改材料60余份。', [count('材料60余份', 60, '份', { counted: '材料', min: 60, max: 70, approx: true })]],
  ['已完成整改32个，正在整改6个。', [count('32个', 32, '个'), count('6个', 6, '个')]],
  ['对5所高校的5家附属医院开展巡视。', [count('5所高校', 5, '所', { counted: '高校' }), unit('高校', 'university'), count('5家附属医院', 5, '家', { counted: '附属医院' }), unit('附属医院', 'hospital')]],
  ['有2名考察材料不完整。', [count('2名', 2, '名')]],
  ['共处理违纪人员超过20人。', [count('超过20人', 20, '人', { min: 20 })]],
  ['批评教育6人，提醒谈话0人。', [count('6人', 6, '人'), count('0人', 0, '人')]],
  ['对3个村进行了专项巡察。', [count('3个村', 3, '个', { counted: '村' }), unit('村', 'village')]],
  ['发现一名普通村民党员长期把持村务。', [count('一名普通村民党员', 1, '名', { counted: '普通村民党员' })]],
  // Not counts
  ['第一，要提高政治站位。', []],
  ['一是理论学习不深入。', []],
  ['一些单位存在形式主义问题。', []],
  ['一把手末位表态制度未落实。', []],
  ['深入学习贯彻党的十九大精神。', []],
  ['认真学习党的二十届三中全会精神。', []],
  ['“三重一大”决策制度执行不严。', [quote('“三重一大”', '三重一大')]],
  ['有的党员四个意识不强。', []],
  ['坚决做到两个维护。', []],
  ['违反中央八项规定精神问题时有发生。', []],
  ['一、政治建设方面', []],
  ['对上一轮巡察反馈问题整改不力。', []],
  ['每发现一起人事档案造假就严肃处理。', []],
  ['作为一项重大政治任务来抓。', []],
  ['联系电话13812345678。', []],
  ['牢固树立“四个意识”。', [quote('“四个意识”', '四个意识')]],
  ['行政事务增加了4.6个百分点。', []],
  // Counts: figures quoted from a report are counts, a name in quotes is not; ordinals, surnames and dates are not
  ['通报称“开展集体廉政谈话3次，召开警示教育大会2次”。', [count('3次', 3, '次'), count('2次', 2, '次')]],
  ['“已清退不符合条件人员12名”。', [quote('“已清退不符合条件人员12名”', '已清退不符合条件人员12名'), count('人员12名', 12, '名', { counted: '人员' })]],
  ['落实“三个一批”要求。', [quote('“三个一批”', '三个一批')]],
  ['伍家岗区法院、上海陆家嘴、编辑陆元华。', []],
  ['十三届全国人大二次会议和十八届中央纪委二次全会。', []],
  ['召开2次会议研究整改。', [count('2次会议', 2, '次', { counted: '会议' })]],
  ['先后6次召开党委会议研究。', [count('6次', 6, '次')]],
  ['省委第九、十轮巡视。', []],
  ['二次供水监督不到位，主任一支笔审批。', []],
  ['2022-03-17张某反映问题。', [period('2022-03-17', year('2022-03-17'))]],
  // Ratios
  ['学习内容中习近平总书记重要论述学习占比不足20%。', [ratio('不足20%', 0.2, { max: 0.2, comparator: 'lt' })]],
  ['此类问题占比达40%。', [ratio('达40%', 0.4, { comparator: 'eq' })]],
  ['全年发文数量同比下降15%。', [ratio('同比下降15%', 0.15, { change: 'down' })]],
  ['信访举报量却上升25%。', [ratio('上升25%', 0.25, { change: 'up' })]],
  ['截至目前，整改完成率76%。', [ratio('76%', 0.76)]],
  ['行政事务占比超过60%。', [ratio('超过60%', 0.6, { min: 0.6, comparator: 'gt' })]],
  ['使用率不足百分之三十。', [ratio('不足百分之三十', 0.3, { max: 0.3, comparator: 'lt' })]],
  ['整改完成率达到95%以上。', [ratio('达到95%以上', 0.95, { min: 0.95, comparator: 'ge' })]],
  ['违规问题数量较去年减少12.5%。', [ratio('减少12.5%', 0.125, { change: 'down' })]],
  ['占總數的84.6%。', [ratio('84.6%', 0.846)]],
  ['完成率为１００％。', [ratio('为１００％', 1, { comparator: 'eq' })]],
  ['立案数环比增长百分之十二点五。', [ratio('环比增长百分之十二点五', 0.125, { change: 'up' })]],
  ['两项指标同比分别下降12%、15%。', [count('两项', 2, '项'), ratio('下降12%', 0.12, { change: 'down' }), ratio('15%', 0.15, { change: 'down' })]],
  ['上升60.6%和58.8%，其中70%来自基层。', [ratio('上升60.6%', 0.606, { change: 'up' }), ratio('58.8%', 0.588, { change: 'up' }), ratio('70%', 0.7)]],
  // Periods
  ['2019-2022年间，该单位多次违规发放津贴。', [period('2019-2022年间', { from: '2019', to: '2022', duration: { value: 4, unit: 'year' } })]],
  ['2022年，该局未召开专题会议研究巡察整改。', [period('2022年', year('2022'))]],
  ['2020年10月28日，市委巡察组进驻。', [period('2020年10月28日', year('2020-10-28'))]],
  ['2019年以来，违纪问题呈上升趋势。', [period('2019年以来', { from: '2019' })]],
  ['整改要在15个工作日内完成。', [period('15个工作日内', { duration: { value: 15, unit: 'workday' } })]],
  ['2022年9月16日至10月18日，区委第一巡察组进行了巡察。', [period('2022年9月16日至10月18日', { from: '2022-09-16', to: '2022-10-18', duration: { value: 33, unit: 'day' } })]],
  ['2017年10月至12月，市委5个巡察组开展巡察。', [period('2017年10月至12月', { from: '2017-10', to: '2017-12', duration: { value: 3, unit: 'month' } }), count('5个巡察组', 5, '个', { counted: '巡察组' })]],
  ['学校党委于12月13-15日反馈。', [unit('学校', 'school'), period('12月13-15日', { from: '--12-13', to: '--12-15', duration: { value: 3, unit: 'day' } })]],
  // Without a year, a span over the end of February has no length (the year decides it); months have one.
  ['1月10日至3月2日、3月至5月集中整改。', [period('1月10日至3月2日', { from: '--01-10', to: '--03-02' }), period('3月至5月', { from: '--03', to: '--05', duration: { value: 3, unit: 'month' } })]],
  ['2018年，学校党委于12月13-15日反馈。', [period('2018年', year('2018')), unit('学校', 'school'), period('12月13-15日', { from: '2018-12-13', to: '2018-12-15', duration: { value: 3, unit: 'day' } })]],
  ['巡察组于2018年1月4至5日分别反馈。', [period('2018年1月4至5日', { from: '2018-01-04', to: '2018-01-05', duration: { value: 2, unit: 'day' } })]],
  ['截至2025年11月底，已完成整改。', [period('截至2025年11月底', { to: '2025-11' })]],
  ['巡察工作始于2016年底。', [period('2016年底', year('2016-12'))]],
  ['2023年上半年，共受理信访举报。', [period('2023年上半年', { from: '2023-01', to: '2023-06' })]],
  ['二〇二二年，该县脱贫攻坚工作滞后。', [period('二〇二二年', year('2022')), unit('该县', 'county')]],
  ['家族掌控村党组织30余年。', [unit('村党组织', 'village'), period('30余年', { duration: { value: 30, unit: 'year' } })]],
  ['启动为期三个月的集中整改。', [period('三个月', { duration: { value: 3, unit: 'month' } })]],
  ['三年来，共查处违纪案件。', [period('三年来', { duration: { value: 3, unit: 'year' } })]],
  ['发布时间：2023-05-04。', [period('2023-05-04', year('2023-05-04'))]],
  ['2023年7月13日至2023年8月31日，市委第二巡察组开展巡察。', [period('2023年7月13日至2023年8月31日', { from: '2023-07-13', to: '2023-08-31', duration: { value: 50, unit: 'day' } })]],
  ['40年前，他还是一名普通农民。', []],
  ['集中整改期每两周更新一次台账。', [period('两周', { duration: { value: 14, unit: 'day' } })]],
  ['20世纪90年代以来干部队伍年龄结构老化。', []],
  // A date without a year after a range over two years takes the year of the range its month falls in.
  ['整改时间为2015年9月至2016年3月，9月下旬部署，2月底完成。2017年3月总结，5月再查。', [
    period('2015年9月至2016年3月', { from: '2015-09', to: '2016-03', duration: { value: 7, unit: 'month' } }),
    period('9月下旬', year('2015-09')),
    period('2月底', year('2016-02')),
    period('2017年3月', year('2017-03')),
    period('5月', year('2017-05')),
  ]],
  ['坚持一月一学法。', []],
  ['一月份召开专题会议。', [period('一月份', { from: '--01', to: '--01' })]],
  // Unit types
  ['巡察组对某市直单位开展常规巡察。', [unit('某市直单位', 'municipal-department')]],
  ['某县在脱贫攻坚中搞变通。', [unit('某县', 'county')]],
  ['某国企存在靠企吃企问题。', [unit('某国企', 'soe')]],
  ['某省属高校党委把方向作用弱化。', [unit('某省属高校', 'university')]],
  ['某乡镇党委书记“一言堂”问题突出。', [unit('某乡镇', 'township'), quote('“一言堂”', '一言堂')]],
  ['该村党支部软弱涣散。', [unit('该村党支部', 'village')]],
  ['推动农村改革发展。', []],
  ['省直部门履职不到位。', [unit('省直部门', 'provincial-department')]],
  ['政务服务中心窗口办事效率低。', [unit('政务服务中心', 'service-center')]],
  ['向闸口街道6个社区党委反馈巡察情况。', [unit('街道', 'township'), count('6个社区党委', 6, '个', { counted: '社区党委' }), unit('社区党委', 'community')]],
  ['对6家區直部門黨委開展巡察。', [count('6家區直部門黨委', 6, '家', { counted: '区直部门党委' }), unit('區直部門', 'county-department')]],
  ['县委书记带队督导。', []],
  ['44所省属本科高校党委和该县委巡察机构。', [count('44所省属本科高校党委', 44, '所', { counted: '省属本科高校党委' }), unit('高校', 'university'), unit('该县', 'county')]],
  ['各市场主体和中国科学院，3个县域项目，本区域。', [count('3个县域项目', 3, '个', { counted: '县域项目' })]],
  ['3个村和各县区。', [count('3个村', 3, '个', { counted: '村' }), unit('村', 'village'), unit('各县区', 'county')]],
  // Catchphrases
  ['党建与业务“两张皮”问题依然存在。', [quote('“两张皮”', '两张皮')]],
  ['贯彻落实存在“温差”“落差”“偏差”。', [quote('“温差”', '温差'), quote('“落差”', '落差'), quote('“偏差”', '偏差')]],
  ['要建立“学习—调研—决策—落实”闭环机制。', [quote('“学习—调研—决策—落实”', '学习—调研—决策—落实')]],
  ['存在「一言堂」現象。', [quote('「一言堂」', '一言堂')]],
  ['他说：“这次报告列了很多问题，力度够大吧？”', []],
  ['一个“查”字当头，落实“《意见》”。', []],
  ['“门难进、脸难看、事难办”现象仍有发生。', [quote('“门难进、脸难看、事难办”', '门难进、脸难看、事难办')]],
];

function locate(sentence: string, e: Expected, from: number): Fact {
  const start = sentence.indexOf(e.text, from);
  if (start < 0) throw new Error(`expected text ${e.text} not in ${sentence}`);
  return { ...e, start, end: start + e.text.length } as unknown as Fact;
}

describe('fact extraction, table of phrases', () => {
  it('has at least 100 phrases', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(100);
  });
  it.each(ROWS)('%s', (sentence, expected) => {
    let cursor = 0;
    const want = expected.map((e) => {
      const f = locate(sentence, e, 0);
      cursor = Math.max(cursor, f.start);
      return f;
    });
    const got = extractor.extract(sentence);
    expect(got).toEqual(want);
  });
});
