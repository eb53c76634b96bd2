package demo

import "titledesk/model"

// Surnames roughly in order of frequency, so common ones come up more often
// when drawn with a skew.
var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")

var givenMale = []rune("伟强磊军洋勇杰涛超明刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣博文晨阳昊天宏志建国海峰亮东岩松立新成康振宝丹乐铭哲楠翔睿鸿瑞庆良")
var givenFemale = []rune("芳娜敏静丽艳娟霞秀英燕玲桂兰萍红梅琳颖雪慧婷倩晶莉琴云洁佳璐悦欣瑶蕾岚薇媛菲琪彤丹雯婧晓月春玉珊凤")

// seriesProfile gives plausible specialties and the title names per level.
type seriesProfile struct {
	specialties []string
	titles      [5]string // indexed like model.AllLevels
}

var profiles = map[model.Series]seriesProfile{
	"engineering":      {[]string{"机械工程", "电气工程", "土木工程", "计算机应用技术", "化学工程", "环境工程", "通信工程", "建筑工程"}, [5]string{"技术员", "助理工程师", "工程师", "高级工程师", "正高级工程师"}},
	"agriculture":      {[]string{"作物遗传育种", "植物保护", "土壤肥料", "畜牧兽医", "园艺", "水产养殖", "农业经济管理"}, [5]string{"农业技术员", "助理农艺师", "农艺师", "高级农艺师", "正高级农艺师"}},
	"natural_science":  {[]string{"生物技术", "分析化学", "生态学", "食品科学", "微生物学"}, [5]string{"研究实习员", "研究实习员", "助理研究员", "副研究员", "研究员"}},
	"health":           {[]string{"内科学", "外科学", "护理学", "药学", "医学检验", "儿科学", "中医学", "医学影像"}, [5]string{"医士", "医师", "主治医师", "副主任医师", "主任医师"}},
	"higher_education": {[]string{"机械设计", "汉语言文学", "数学", "计算机科学与技术", "经济学"}, [5]string{"助教", "助教", "讲师", "副教授", "教授"}},
	"school_teacher":   {[]string{"语文", "数学", "英语", "物理", "化学", "生物", "历史", "体育"}, [5]string{"三级教师", "二级教师", "一级教师", "高级教师", "正高级教师"}},
	"economics":        {[]string{"工商管理", "财政税收", "金融", "人力资源管理", "农业经济", "运输经济", "知识产权"}, [5]string{"经济员", "助理经济师", "经济师", "高级经济师", "正高级经济师"}},
	"accounting":       {[]string{"会计", "财务管理", "审计"}, [5]string{"会计员", "助理会计师", "会计师", "高级会计师", "正高级会计师"}},
	"laboratory":       {[]string{"分析测试", "仪器设备", "实验教学"}, [5]string{"实验员", "助理实验师", "实验师", "高级实验师", "正高级实验师"}},
	"library":          {[]string{"图书馆学", "情报学", "文献信息"}, [5]string{"管理员", "助理馆员", "馆员", "副研究馆员", "研究馆员"}},
	"archives":         {[]string{"档案管理", "文书档案", "科技档案"}, [5]string{"管理员", "助理馆员", "馆员", "副研究馆员", "研究馆员"}},
	"journalism":       {[]string{"新闻采编", "新闻评论", "摄影"}, [5]string{"助理记者", "助理记者", "记者", "主任记者", "高级记者"}},
	"statistics":       {[]string{"统计调查", "数据分析"}, [5]string{"统计员", "助理统计师", "统计师", "高级统计师", "正高级统计师"}},
	"art":              {[]string{"表演", "美术", "音乐", "舞台美术"}, [5]string{"四级演员", "四级演员", "三级演员", "二级演员", "一级演员"}},
	"translation":      {[]string{"英语翻译", "日语翻译", "俄语翻译"}, [5]string{"翻译", "翻译", "翻译", "副译审", "译审"}},
	"publishing":       {[]string{"编辑", "校对", "出版发行"}, [5]string{"助理编辑", "助理编辑", "编辑", "副编审", "编审"}},
}

// departmentSpec is one top-level 职称业务主管部门 and what its staff apply in.
type departmentSpec struct {
	name     string
	unitType model.UnitType
	series   []model.Series
	units    []string // employer units under it
}

var departmentSpecs = []departmentSpec{
	{"天津市农业科学院", model.UnitTypeInstitution, []model.Series{"agriculture", "natural_science", "economics", "engineering", "laboratory", "library"},
		[]string{"天津市农业科学院作物研究所", "天津市农业科学院植物保护研究所", "天津市农业科学院畜牧兽医研究所", "天津市农业科学院蔬菜研究所", "天津市农业科学院农业信息研究所", "天津市农业科学院果树研究所"}},
	{"天津市教育委员会", model.UnitTypeAgency, []model.Series{"higher_education", "school_teacher", "laboratory", "library", "accounting"},
		[]string{"天津市第一中学", "天津市南开中学", "天津市耀华中学", "天津职业技术师范大学", "天津市实验中学"}},
	{"天津市卫生健康委员会", model.UnitTypeAgency, []model.Series{"health", "economics", "accounting"},
		[]string{"天津医科大学总医院", "天津市第一中心医院", "天津市人民医院", "天津市儿童医院", "天津市中医药研究院附属医院"}},
	{"天津市科学技术局", model.UnitTypeAgency, []model.Series{"natural_science", "engineering", "economics"},
		[]string{"天津市科学技术信息研究所", "天津市生物医药研究院", "天津市科技发展战略研究院"}},
	{"天津市工业和信息化局", model.UnitTypeAgency, []model.Series{"engineering", "economics", "accounting", "statistics"},
		[]string{"天津钢铁集团有限公司", "天津中环电子信息集团", "天津百利机械装备集团", "天津渤海化工集团"}},
	{"天津市住房和城乡建设委员会", model.UnitTypeAgency, []model.Series{"engineering", "economics"},
		[]string{"天津市建筑设计研究院", "天津城建集团有限公司", "天津市市政工程设计研究总院"}},
	{"天津市交通运输委员会", model.UnitTypeAgency, []model.Series{"engineering", "economics", "accounting"},
		[]string{"天津港（集团）有限公司", "天津市公路事业发展服务中心", "天津轨道交通集团"}},
	{"天津市文化和旅游局", model.UnitTypeAgency, []model.Series{"art", "library", "archives", "cultural_relics", "publishing"},
		[]string{"天津图书馆", "天津博物馆", "天津人民艺术剧院", "天津歌舞剧院"}},
	{"天津市财政局", model.UnitTypeAgency, []model.Series{"accounting", "economics", "statistics"},
		[]string{"天津市财政投资评审中心", "天津市会计人员服务中心"}},
	{"天津市人民政府国有资产监督管理委员会", model.UnitTypeAgency, []model.Series{"engineering", "economics", "accounting"},
		[]string{"天津泰达投资控股有限公司", "天津食品集团有限公司", "天津能源投资集团"}},
	{"天津市滨海新区人力资源和社会保障局", model.UnitTypeAgency, []model.Series{"engineering", "economics", "health", "school_teacher"},
		[]string{"天津经济技术开发区管委会服务中心", "滨海新区中医医院", "天津港保税区管委会"}},
	{"天津海河传媒中心", model.UnitTypeInstitution, []model.Series{"journalism", "broadcasting", "publishing", "translation"},
		[]string{"天津日报社", "今晚报社", "天津广播电视台"}},
}

// subUnitSuffixes make second- and third-level units under an employer unit.
var subUnitSuffixes = []string{"第一研究室", "第二研究室", "综合办公室", "技术中心", "检测中心", "分院", "实验室", "服务站"}

var educations = []struct{ education, degree string }{
	{"博士研究生", "博士"}, {"硕士研究生", "硕士"}, {"硕士研究生", "硕士"}, {"大学本科", "学士"}, {"大学本科", "学士"}, {"大学本科", "学士"}, {"大学专科", ""},
}

var schools = []string{"南开大学", "天津大学", "天津医科大学", "天津师范大学", "天津农学院", "天津科技大学", "天津工业大学", "河北工业大学", "中国农业大学", "北京大学", "天津财经大学", "天津理工大学"}

var stockComments = []string{
	"材料齐全，符合申报条件，同意推荐。",
	"经审核，申报材料真实有效，同意上报。",
	"请补充近五年继续教育学时证明后重新提交。",
	"业绩成果材料不完整，请补充代表作原件扫描件。",
	"公示材料不规范，请按要求重新上传公示结果。",
	"任职年限不满足申报条件，请核实后重新申报。",
}

var messageTitles = []struct{ title, body string }{
	{"关于做好2026年度职称评审工作的通知", "各职称业务主管部门：\n2026年度职称评审申报工作已经开始，请各单位按照文件要求，认真做好本单位及下级单位申报人员的材料审核和推荐工作，于12月20日前完成审核报送。"},
	{"关于严格执行职称申报公示制度的提醒", "各单位推荐申报人员须在本单位进行不少于5个工作日的公示，公示期间无异议方可推荐。请在推荐和公示情况中如实填写公示起止日期及结果。"},
	{"关于全面实行岗位管理事业单位上传岗位情况表的说明", "全面实行岗位管理的事业单位，在审核通过本单位申报人员时，必须上传《事业单位岗位情况表》，否则无法提交。"},
	{"系统维护通知", "本系统将于本周六 22:00 至次日 6:00 进行维护升级，期间暂停服务，请合理安排审核时间。离线审核的记录将在恢复后自动同步。"},
	{"关于2026年度自主聘任工作的通知", "开展自主聘任的单位，请在自主聘任审核中如实填写聘任时间、聘任岗位、岗位等级等信息，审核通过后直接提交市职称办颁发电子证书。"},
	{"关于经济系列申报单位补充单位信息的通知", "有申报经济系列职称人员的单位，须在单位基本信息中完整填写经济类型、所属行业、从业人员数、营业收入等4项信息。"},
}
