// Demo organisation of the city in RULES.md (淄博): the reform office, the
// leading group, 8 special groups, 11 districts with townships, and the
// municipal departments that carry reform tasks. Ids are stable codes so the
// seed is idempotent and tests can name people.
import type { Role, UnitKind } from '../generated/prisma/client';

export interface SeedUnit { id: string; name: string; kind: UnitKind; parentId?: string }
export interface SeedOfficial { id: string; name: string; email: string; unitId: string; roles: Role[]; title: string }

import { LEADERSHIP_ID, PROPAGANDA_ID, REFORM_OFFICE_ID } from '../common/org';

const specialGroups: Array<[string, string]> = [
  ['sg-economy', '经济体制和生态文明体制改革专项小组'],
  ['sg-democracy', '民主法制领域改革专项小组'],
  ['sg-culture', '文化体制改革专项小组'],
  ['sg-society', '社会体制改革专项小组'],
  ['sg-party', '党的建设制度改革专项小组'],
  ['sg-discipline', '纪律检查体制改革专项小组'],
  ['sg-rural', '农村改革专项小组'],
  ['sg-soe', '国资国企改革专项小组'],
];

export const districts: Array<[string, string, string[]]> = [
  ['district-zhangdian', '张店区', ['车站街道', '和平街道', '马尚街道']],
  ['district-zichuan', '淄川区', ['般阳路街道', '松龄路街道', '昆仑镇']],
  ['district-boshan', '博山区', ['城东街道', '山头街道', '八陡镇']],
  ['district-linzi', '临淄区', ['闻韶街道', '稷下街道', '齐都镇']],
  ['district-zhoucun', '周村区', ['丝绸路街道', '永安街道', '王村镇']],
  ['district-huantai', '桓台县', ['索镇街道', '少海街道', '马桥镇']],
  ['district-gaoqing', '高青县', ['田镇街道', '芦湖街道', '黑里寨镇']],
  ['district-yiyuan', '沂源县', ['历山街道', '南麻街道', '鲁村镇']],
  ['district-hightech', '高新区', ['四宝山街道', '石桥街道', '卫固镇']],
  ['district-econdev', '经济开发区', ['傅家镇', '北西五路街道', '沣水镇']],
  ['district-wenchanghu', '文昌湖旅游度假区', ['商家镇', '萌水镇']],
];

const departments: Array<[string, string]> = [
  ['dept-ndrc', '市发展改革委'],
  ['dept-finance', '市财政局'],
  ['dept-justice', '市司法局'],
  ['dept-gov-office', '市政府办公室'],
  [PROPAGANDA_ID, '市委宣传部'],
  ['dept-organization', '市委组织部'],
  ['dept-education', '市教育局'],
  ['dept-health', '市卫生健康委'],
  ['dept-hrss', '市人力资源社会保障局'],
  ['dept-resources', '市自然资源和规划局'],
  ['dept-ecology', '市生态环境局'],
  ['dept-housing', '市住房城乡建设局'],
  ['dept-agriculture', '市农业农村局'],
  ['dept-commerce', '市商务局'],
  ['dept-market', '市市场监管局'],
  ['dept-approval', '市行政审批服务局'],
  ['dept-sasac', '市国资委'],
  ['dept-bigdata', '市大数据局'],
];

// Deterministic demo names: a surname and a given name drawn by index.
const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const givens = ['建国', '志强', '海燕', '丽华', '卫东', '晓明', '红梅', '国栋', '文静', '立新', '春生', '秀英', '宏伟', '玉兰', '德胜', '雪峰', '桂芳', '振华', '淑珍', '永刚', '慧敏', '伟', '静', '磊', '洋', '敏', '军', '杰', '娜', '涛'];
let nameIndex = 0;
function nextName(): string {
  const i = nameIndex++;
  return surnames[i % surnames.length] + givens[(i * 7) % givens.length];
}

export function buildSeed(): { units: SeedUnit[]; officials: SeedOfficial[] } {
  nameIndex = 0;
  const units: SeedUnit[] = [
    { id: REFORM_OFFICE_ID, name: '市委改革办', kind: 'REFORM_OFFICE' },
    { id: LEADERSHIP_ID, name: '市委全面深化改革领导小组', kind: 'LEADERSHIP' },
  ];
  const officials: SeedOfficial[] = [];
  const person = (id: string, unitId: string, roles: Role[], title: string) =>
    officials.push({ id, name: nextName(), email: `${id}@zibo.example.cn`, unitId, roles, title });

  person('ro-director', REFORM_OFFICE_ID, ['ADMIN', 'DIRECTOR'], '市委改革办主任');
  person('ro-deputy', REFORM_OFFICE_ID, ['ADMIN', 'DEPUTY_DIRECTOR'], '市委改革办专职副主任');
  person('ro-supervisor', REFORM_OFFICE_ID, ['ADMIN', 'INSPECTOR', 'LIAISON'], '督查科科长');
  person('ro-inspector', REFORM_OFFICE_ID, ['INSPECTOR'], '督查科干部');
  person('city-secretary', LEADERSHIP_ID, ['CITY_LEADER', 'HEAD'], '市委书记、市委深改组组长');
  person('city-mayor', LEADERSHIP_ID, ['CITY_LEADER'], '市长、市委深改组副组长');
  person('city-deputy-secretary', LEADERSHIP_ID, ['CITY_LEADER', 'LEADER_IN_CHARGE'], '市委副书记');

  for (const [id, name] of specialGroups) {
    units.push({ id, name, kind: 'SPECIAL_GROUP' });
    person(`${id}-leader`, id, ['HEAD', 'CITY_LEADER'], `${name}组长（市委常委）`);
    person(`${id}-liaison`, id, ['LIAISON', 'LEADER_IN_CHARGE'], `${name}联络员`);
    person(`${id}-section`, id, ['DRAFTER'], `${name}责任科室负责人`);
  }
  for (const [id, name, townships] of districts) {
    units.push({ id, name, kind: 'DISTRICT' });
    person(`${id}-head`, id, ['HEAD'], `${name}主要负责人`);
    person(`${id}-director`, id, ['DIRECTOR'], `${name}委改革办主任`);
    person(`${id}-deputy`, id, ['DEPUTY_DIRECTOR', 'LIAISON'], `${name}委改革办专职副主任`);
    townships.forEach((t, i) => {
      const tid = `${id}-t${i + 1}`;
      units.push({ id: tid, name: `${name}${t}`, kind: 'TOWNSHIP', parentId: id });
      person(`${tid}-head`, tid, ['HEAD', 'LIAISON'], `${t}党（工）委书记`);
    });
  }
  for (const [id, name] of departments) {
    units.push({ id, name, kind: 'DEPARTMENT' });
    person(`${id}-head`, id, ['HEAD'], `${name}主要负责人`);
    person(`${id}-leader`, id, ['LEADER_IN_CHARGE'], `${name}分管领导`);
    person(`${id}-liaison`, id, ['LIAISON'], `${name}改革联络员`);
    person(`${id}-drafter`, id, ['DRAFTER'], `${name}起草人`);
  }
  // The document exchange's webhook: an integration, not a person; it may only register arriving documents.
  officials.push({ id: 'ro-exchange', name: '公文交换系统', email: 'ro-exchange@zibo.example.cn', unitId: REFORM_OFFICE_ID, roles: ['INGEST'], title: '公文交换系统接口' });
  return { units, officials };
}
