package ui

// 聘任信息 (REV-11): what 【通过】 in 自主聘任审核 needs before the
// application goes straight to 市职称办 for the electronic certificate.

var postLevels = []string{"专业技术二级", "专业技术三级", "专业技术四级", "专业技术五级", "专业技术六级",
	"专业技术七级", "专业技术八级", "专业技术九级", "专业技术十级", "专业技术十一级", "专业技术十二级", "专业技术十三级"}

func (pf *passForm) addAppointmentFields() {
	f := pf.fields
	f.entry("appoint_date", true, datePlaceholder)
	f.entry("post", true, "如 高级工程师岗位")
	f.choice("post_level", true, postLevels)
	f.entry("term_years", true, "1至10")
	f.entry("document_no", true, "如 津农科院人〔2026〕12号")
}
