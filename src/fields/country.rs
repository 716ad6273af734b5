//! Countries: ISO 3166-1 alpha-2 codes from codes, English and Chinese names and common aliases.

use super::text::clean_text;
use super::{Checked, Issue, Level};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// All 249 ISO 3166-1 entries: alpha-2, alpha-3, names (ISO short name, common name, official
/// name, simplified and traditional Chinese names, from Debian iso-codes 4.15).
static COUNTRIES: &[(&str, &str, &[&str])] = &[
    (
        "AD",
        "AND",
        &["Andorra", "Principality of Andorra", "安道尔", "安道爾"],
    ),
    (
        "AE",
        "ARE",
        &["United Arab Emirates", "阿联酋", "阿拉伯聯合大公國"],
    ),
    (
        "AF",
        "AFG",
        &["Afghanistan", "Islamic Republic of Afghanistan", "阿富汗"],
    ),
    (
        "AG",
        "ATG",
        &["Antigua and Barbuda", "安提瓜和巴布达", "安地卡及巴布達"],
    ),
    ("AI", "AIA", &["Anguilla", "安圭拉"]),
    (
        "AL",
        "ALB",
        &["Albania", "Republic of Albania", "阿尔巴尼亚", "阿爾巴尼亞"],
    ),
    (
        "AM",
        "ARM",
        &["Armenia", "Republic of Armenia", "亚美尼亚", "亞美尼亞"],
    ),
    ("AO", "AGO", &["Angola", "Republic of Angola", "安哥拉"]),
    ("AQ", "ATA", &["Antarctica", "南极洲", "南極洲"]),
    ("AR", "ARG", &["Argentina", "Argentine Republic", "阿根廷"]),
    ("AS", "ASM", &["American Samoa", "美属萨摩亚", "美屬薩摩亞"]),
    (
        "AT",
        "AUT",
        &["Austria", "Republic of Austria", "奥地利", "奧地利"],
    ),
    ("AU", "AUS", &["Australia", "澳大利亚", "澳大利亞"]),
    ("AW", "ABW", &["Aruba", "阿鲁巴", "阿路巴"]),
    ("AX", "ALA", &["Åland Islands", "奥兰群岛", "奧蘭群島"]),
    (
        "AZ",
        "AZE",
        &[
            "Azerbaijan",
            "Republic of Azerbaijan",
            "阿塞拜疆",
            "亞塞拜然",
        ],
    ),
    (
        "BA",
        "BIH",
        &[
            "Bosnia and Herzegovina",
            "Republic of Bosnia and Herzegovina",
            "波斯尼亚和黑塞哥维那",
            "波士尼亞及赫塞哥維納",
        ],
    ),
    ("BB", "BRB", &["Barbados", "巴巴多斯", "巴貝多"]),
    (
        "BD",
        "BGD",
        &["Bangladesh", "People's Republic of Bangladesh", "孟加拉"],
    ),
    (
        "BE",
        "BEL",
        &["Belgium", "Kingdom of Belgium", "比利时", "比利時"],
    ),
    ("BF", "BFA", &["Burkina Faso", "布基纳法索", "布吉納法索"]),
    (
        "BG",
        "BGR",
        &["Bulgaria", "Republic of Bulgaria", "保加利亚", "保加利亞"],
    ),
    ("BH", "BHR", &["Bahrain", "Kingdom of Bahrain", "巴林"]),
    (
        "BI",
        "BDI",
        &["Burundi", "Republic of Burundi", "布隆迪", "蒲隆地"],
    ),
    ("BJ", "BEN", &["Benin", "Republic of Benin", "贝宁", "貝南"]),
    (
        "BL",
        "BLM",
        &["Saint Barthélemy", "圣巴泰勒米岛", "聖巴瑟米"],
    ),
    ("BM", "BMU", &["Bermuda", "百慕大", "百慕達"]),
    ("BN", "BRN", &["Brunei Darussalam", "文莱", "汶萊"]),
    (
        "BO",
        "BOL",
        &[
            "Bolivia, Plurinational State of",
            "Bolivia",
            "Plurinational State of Bolivia",
            "玻利维亚共和国",
            "玻利維亞多民族國",
        ],
    ),
    (
        "BQ",
        "BES",
        &[
            "Bonaire, Sint Eustatius and Saba",
            "博奈尔、圣尤斯特歇斯岛和萨巴",
            "波內赫、聖尤斯特歇斯及薩巴",
        ],
    ),
    (
        "BR",
        "BRA",
        &["Brazil", "Federative Republic of Brazil", "巴西"],
    ),
    (
        "BS",
        "BHS",
        &["Bahamas", "Commonwealth of the Bahamas", "巴哈马", "巴哈馬"],
    ),
    ("BT", "BTN", &["Bhutan", "Kingdom of Bhutan", "不丹"]),
    ("BV", "BVT", &["Bouvet Island", "布维群岛", "布威島"]),
    (
        "BW",
        "BWA",
        &["Botswana", "Republic of Botswana", "博兹瓦那", "波札那"],
    ),
    (
        "BY",
        "BLR",
        &["Belarus", "Republic of Belarus", "白俄罗斯", "白俄羅斯"],
    ),
    ("BZ", "BLZ", &["Belize", "伯利兹", "貝里斯"]),
    ("CA", "CAN", &["Canada", "加拿大"]),
    (
        "CC",
        "CCK",
        &[
            "Cocos (Keeling) Islands",
            "科科斯群岛",
            "科科斯 (基林) 群島",
        ],
    ),
    (
        "CD",
        "COD",
        &[
            "Congo, The Democratic Republic of the",
            "刚果民主共和国",
            "剛果民主共和國",
        ],
    ),
    (
        "CF",
        "CAF",
        &["Central African Republic", "中非", "中非共和國"],
    ),
    (
        "CG",
        "COG",
        &["Congo", "Republic of the Congo", "刚果", "剛果"],
    ),
    ("CH", "CHE", &["Switzerland", "Swiss Confederation", "瑞士"]),
    (
        "CI",
        "CIV",
        &[
            "Côte d'Ivoire",
            "Republic of Côte d'Ivoire",
            "科特迪瓦",
            "象牙海岸",
        ],
    ),
    ("CK", "COK", &["Cook Islands", "库克群岛", "庫克群島"]),
    ("CL", "CHL", &["Chile", "Republic of Chile", "智利"]),
    (
        "CM",
        "CMR",
        &["Cameroon", "Republic of Cameroon", "喀麦隆", "喀麥隆"],
    ),
    (
        "CN",
        "CHN",
        &["China", "People's Republic of China", "中国", "中國"],
    ),
    (
        "CO",
        "COL",
        &["Colombia", "Republic of Colombia", "哥伦比亚", "哥倫比亞"],
    ),
    (
        "CR",
        "CRI",
        &[
            "Costa Rica",
            "Republic of Costa Rica",
            "哥斯达黎加",
            "哥斯大黎加",
        ],
    ),
    ("CU", "CUB", &["Cuba", "Republic of Cuba", "古巴"]),
    (
        "CV",
        "CPV",
        &["Cabo Verde", "Republic of Cabo Verde", "佛得角", "維德角"],
    ),
    ("CW", "CUW", &["Curaçao", "库拉索", "古拉索"]),
    ("CX", "CXR", &["Christmas Island", "圣诞岛", "聖誕島"]),
    (
        "CY",
        "CYP",
        &["Cyprus", "Republic of Cyprus", "塞浦路斯", "賽普勒斯"],
    ),
    ("CZ", "CZE", &["Czechia", "Czech Republic", "捷克"]),
    (
        "DE",
        "DEU",
        &["Germany", "Federal Republic of Germany", "德国", "德國"],
    ),
    (
        "DJ",
        "DJI",
        &["Djibouti", "Republic of Djibouti", "吉布提", "吉布地"],
    ),
    (
        "DK",
        "DNK",
        &["Denmark", "Kingdom of Denmark", "丹麦", "丹麥"],
    ),
    (
        "DM",
        "DMA",
        &["Dominica", "Commonwealth of Dominica", "多米尼克"],
    ),
    (
        "DO",
        "DOM",
        &["Dominican Republic", "多米尼加共和国", "多明尼加共和國"],
    ),
    (
        "DZ",
        "DZA",
        &[
            "Algeria",
            "People's Democratic Republic of Algeria",
            "阿尔及利亚",
            "阿爾及利亞",
        ],
    ),
    (
        "EC",
        "ECU",
        &["Ecuador", "Republic of Ecuador", "厄瓜多尔", "厄瓜多"],
    ),
    (
        "EE",
        "EST",
        &["Estonia", "Republic of Estonia", "爱沙尼亚", "愛沙尼亞"],
    ),
    ("EG", "EGY", &["Egypt", "Arab Republic of Egypt", "埃及"]),
    ("EH", "ESH", &["Western Sahara", "西撒哈拉"]),
    (
        "ER",
        "ERI",
        &["Eritrea", "the State of Eritrea", "厄立特里亚", "厄利垂亞"],
    ),
    ("ES", "ESP", &["Spain", "Kingdom of Spain", "西班牙"]),
    (
        "ET",
        "ETH",
        &[
            "Ethiopia",
            "Federal Democratic Republic of Ethiopia",
            "埃塞俄比亚",
            "衣索比亞",
        ],
    ),
    (
        "FI",
        "FIN",
        &["Finland", "Republic of Finland", "芬兰", "芬蘭"],
    ),
    ("FJ", "FJI", &["Fiji", "Republic of Fiji", "斐济", "斐濟"]),
    (
        "FK",
        "FLK",
        &[
            "Falkland Islands (Malvinas)",
            "福克兰群岛(马尔维纳斯)",
            "福克蘭群島 (馬維娜斯)",
        ],
    ),
    (
        "FM",
        "FSM",
        &[
            "Micronesia, Federated States of",
            "Federated States of Micronesia",
            "密克罗尼西亚",
            "密克羅尼西亞聯邦",
        ],
    ),
    ("FO", "FRO", &["Faroe Islands", "法罗群岛", "法羅群島"]),
    ("FR", "FRA", &["France", "French Republic", "法国", "法國"]),
    ("GA", "GAB", &["Gabon", "Gabonese Republic", "加蓬", "加彭"]),
    (
        "GB",
        "GBR",
        &[
            "United Kingdom",
            "United Kingdom of Great Britain and Northern Ireland",
            "英国",
            "英國",
        ],
    ),
    ("GD", "GRD", &["Grenada", "格林纳达", "格瑞那達"]),
    ("GE", "GEO", &["Georgia", "格鲁吉亚", "喬治亞"]),
    ("GF", "GUF", &["French Guiana", "法属圭亚那", "法屬蓋亞那"]),
    ("GG", "GGY", &["Guernsey", "根西岛", "根息島"]),
    ("GH", "GHA", &["Ghana", "Republic of Ghana", "加纳", "迦納"]),
    ("GI", "GIB", &["Gibraltar", "直布罗陀", "直布羅陀"]),
    ("GL", "GRL", &["Greenland", "格陵兰", "格陵蘭"]),
    (
        "GM",
        "GMB",
        &["Gambia", "Republic of the Gambia", "冈比亚", "甘比亞"],
    ),
    (
        "GN",
        "GIN",
        &["Guinea", "Republic of Guinea", "几内亚", "幾內亞"],
    ),
    ("GP", "GLP", &["Guadeloupe", "瓜德罗普", "瓜地洛普"]),
    (
        "GQ",
        "GNQ",
        &[
            "Equatorial Guinea",
            "Republic of Equatorial Guinea",
            "赤道几内亚",
            "赤道幾內亞",
        ],
    ),
    (
        "GR",
        "GRC",
        &["Greece", "Hellenic Republic", "希腊", "希臘"],
    ),
    (
        "GS",
        "SGS",
        &[
            "South Georgia and the South Sandwich Islands",
            "南乔治亚岛和南桑德韦奇岛",
            "南喬治亞及南三明治群島",
        ],
    ),
    (
        "GT",
        "GTM",
        &["Guatemala", "Republic of Guatemala", "瓜地马拉", "瓜地馬拉"],
    ),
    ("GU", "GUM", &["Guam", "关岛", "關島"]),
    (
        "GW",
        "GNB",
        &[
            "Guinea-Bissau",
            "Republic of Guinea-Bissau",
            "几内亚比绍",
            "幾內亞比索",
        ],
    ),
    (
        "GY",
        "GUY",
        &["Guyana", "Republic of Guyana", "圭亚那", "蓋亞那"],
    ),
    (
        "HK",
        "HKG",
        &[
            "Hong Kong",
            "Hong Kong Special Administrative Region of China",
            "香港",
        ],
    ),
    (
        "HM",
        "HMD",
        &[
            "Heard Island and McDonald Islands",
            "赫德岛与麦克唐纳群岛",
            "赫德島及麥當勞群島",
        ],
    ),
    (
        "HN",
        "HND",
        &["Honduras", "Republic of Honduras", "洪都拉斯", "宏都拉斯"],
    ),
    (
        "HR",
        "HRV",
        &["Croatia", "Republic of Croatia", "克罗地亚", "克羅埃西亞"],
    ),
    ("HT", "HTI", &["Haiti", "Republic of Haiti", "海地"]),
    ("HU", "HUN", &["Hungary", "匈牙利"]),
    (
        "ID",
        "IDN",
        &[
            "Indonesia",
            "Republic of Indonesia",
            "印度尼西亚",
            "印度尼西亞",
        ],
    ),
    ("IE", "IRL", &["Ireland", "爱尔兰", "愛爾蘭"]),
    ("IL", "ISR", &["Israel", "State of Israel", "以色列"]),
    ("IM", "IMN", &["Isle of Man", "曼岛", "曼島"]),
    ("IN", "IND", &["India", "Republic of India", "印度"]),
    (
        "IO",
        "IOT",
        &[
            "British Indian Ocean Territory",
            "英属印度洋领地",
            "英屬印度洋領地",
        ],
    ),
    ("IQ", "IRQ", &["Iraq", "Republic of Iraq", "伊拉克"]),
    (
        "IR",
        "IRN",
        &[
            "Iran, Islamic Republic of",
            "Iran",
            "Islamic Republic of Iran",
            "伊朗伊斯兰共和国",
            "伊朗伊斯蘭共和國",
        ],
    ),
    (
        "IS",
        "ISL",
        &["Iceland", "Republic of Iceland", "冰岛", "冰島"],
    ),
    (
        "IT",
        "ITA",
        &["Italy", "Italian Republic", "意大利", "義大利"],
    ),
    ("JE", "JEY", &["Jersey", "泽西岛", "澤西島"]),
    ("JM", "JAM", &["Jamaica", "牙买加", "牙買加"]),
    (
        "JO",
        "JOR",
        &["Jordan", "Hashemite Kingdom of Jordan", "约旦", "約旦"],
    ),
    ("JP", "JPN", &["Japan", "日本"]),
    (
        "KE",
        "KEN",
        &["Kenya", "Republic of Kenya", "肯尼亚", "肯亞"],
    ),
    (
        "KG",
        "KGZ",
        &["Kyrgyzstan", "Kyrgyz Republic", "吉尔吉斯坦", "吉爾吉斯"],
    ),
    (
        "KH",
        "KHM",
        &["Cambodia", "Kingdom of Cambodia", "柬埔塞", "柬埔寨"],
    ),
    (
        "KI",
        "KIR",
        &["Kiribati", "Republic of Kiribati", "基里巴斯", "吉里巴斯"],
    ),
    (
        "KM",
        "COM",
        &["Comoros", "Union of the Comoros", "科摩罗", "葛摩"],
    ),
    (
        "KN",
        "KNA",
        &[
            "Saint Kitts and Nevis",
            "圣基茨和尼维斯",
            "聖克里斯多福及尼維斯",
        ],
    ),
    (
        "KP",
        "PRK",
        &[
            "Korea, Democratic People's Republic of",
            "North Korea",
            "Democratic People's Republic of Korea",
            "朝鲜民主主义人民共和国",
            "朝鮮民主主義人民共和國",
        ],
    ),
    (
        "KR",
        "KOR",
        &["Korea, Republic of", "South Korea", "大韩民国", "大韓民國"],
    ),
    ("KW", "KWT", &["Kuwait", "State of Kuwait", "科威特"]),
    ("KY", "CYM", &["Cayman Islands", "开曼群岛", "開曼群島"]),
    (
        "KZ",
        "KAZ",
        &[
            "Kazakhstan",
            "Republic of Kazakhstan",
            "哈萨克斯坦",
            "哈薩克",
        ],
    ),
    (
        "LA",
        "LAO",
        &[
            "Lao People's Democratic Republic",
            "Laos",
            "老挝人民民主共和国",
            "寮人民民主共和國",
        ],
    ),
    ("LB", "LBN", &["Lebanon", "Lebanese Republic", "黎巴嫩"]),
    ("LC", "LCA", &["Saint Lucia", "圣路西亚", "聖露西亞"]),
    (
        "LI",
        "LIE",
        &[
            "Liechtenstein",
            "Principality of Liechtenstein",
            "列支敦士登",
            "列支敦斯登",
        ],
    ),
    (
        "LK",
        "LKA",
        &[
            "Sri Lanka",
            "Democratic Socialist Republic of Sri Lanka",
            "斯里兰卡",
            "斯里蘭卡",
        ],
    ),
    (
        "LR",
        "LBR",
        &["Liberia", "Republic of Liberia", "利比里亚", "賴比瑞亞"],
    ),
    (
        "LS",
        "LSO",
        &["Lesotho", "Kingdom of Lesotho", "莱索托", "賴索托"],
    ),
    (
        "LT",
        "LTU",
        &["Lithuania", "Republic of Lithuania", "立陶宛"],
    ),
    (
        "LU",
        "LUX",
        &[
            "Luxembourg",
            "Grand Duchy of Luxembourg",
            "卢森堡",
            "盧森堡",
        ],
    ),
    (
        "LV",
        "LVA",
        &["Latvia", "Republic of Latvia", "拉脱维亚", "拉脫維亞"],
    ),
    ("LY", "LBY", &["Libya", "利比亚", "利比亞"]),
    ("MA", "MAR", &["Morocco", "Kingdom of Morocco", "摩洛哥"]),
    (
        "MC",
        "MCO",
        &["Monaco", "Principality of Monaco", "摩纳哥", "摩納哥"],
    ),
    (
        "MD",
        "MDA",
        &[
            "Moldova, Republic of",
            "Moldova",
            "Republic of Moldova",
            "摩尔多瓦共和国",
            "摩爾多瓦共和國",
        ],
    ),
    ("ME", "MNE", &["Montenegro", "黑山", "蒙特內哥羅"]),
    (
        "MF",
        "MAF",
        &["Saint Martin (French part)", "法属圣马丁", "聖馬丁 (法屬)"],
    ),
    (
        "MG",
        "MDG",
        &[
            "Madagascar",
            "Republic of Madagascar",
            "马达加斯加",
            "馬達加斯加",
        ],
    ),
    (
        "MH",
        "MHL",
        &[
            "Marshall Islands",
            "Republic of the Marshall Islands",
            "马绍尔群岛",
            "馬紹爾群島",
        ],
    ),
    (
        "MK",
        "MKD",
        &[
            "North Macedonia",
            "Republic of North Macedonia",
            "北马其顿",
            "北馬其頓",
        ],
    ),
    ("ML", "MLI", &["Mali", "Republic of Mali", "马里", "馬利"]),
    (
        "MM",
        "MMR",
        &["Myanmar", "Republic of Myanmar", "缅甸", "緬甸"],
    ),
    ("MN", "MNG", &["Mongolia", "蒙古"]),
    (
        "MO",
        "MAC",
        &[
            "Macao",
            "Macao Special Administrative Region of China",
            "澳门",
            "澳門",
        ],
    ),
    (
        "MP",
        "MNP",
        &[
            "Northern Mariana Islands",
            "Commonwealth of the Northern Mariana Islands",
            "北马里亚纳群岛",
            "北馬里亞納群島",
        ],
    ),
    ("MQ", "MTQ", &["Martinique", "马提尼克", "馬丁尼克"]),
    (
        "MR",
        "MRT",
        &[
            "Mauritania",
            "Islamic Republic of Mauritania",
            "毛里塔尼亚",
            "茅利塔尼亞",
        ],
    ),
    ("MS", "MSR", &["Montserrat", "蒙塞拉特岛", "蒙塞拉特島"]),
    (
        "MT",
        "MLT",
        &["Malta", "Republic of Malta", "马尔他", "馬爾他"],
    ),
    (
        "MU",
        "MUS",
        &["Mauritius", "Republic of Mauritius", "毛里求斯", "模里西斯"],
    ),
    (
        "MV",
        "MDV",
        &["Maldives", "Republic of Maldives", "马尔代夫", "馬爾地夫"],
    ),
    (
        "MW",
        "MWI",
        &["Malawi", "Republic of Malawi", "马拉维", "馬拉威"],
    ),
    ("MX", "MEX", &["Mexico", "United Mexican States", "墨西哥"]),
    ("MY", "MYS", &["Malaysia", "马来西亚", "馬來西亞"]),
    (
        "MZ",
        "MOZ",
        &[
            "Mozambique",
            "Republic of Mozambique",
            "莫桑比克",
            "莫三比克",
        ],
    ),
    (
        "NA",
        "NAM",
        &["Namibia", "Republic of Namibia", "纳米比亚", "納米比亞"],
    ),
    (
        "NC",
        "NCL",
        &["New Caledonia", "新喀里多尼亚", "新喀里多尼亞"],
    ),
    (
        "NE",
        "NER",
        &["Niger", "Republic of the Niger", "尼日尔", "尼日"],
    ),
    ("NF", "NFK", &["Norfolk Island", "诺福克岛", "諾福克島"]),
    (
        "NG",
        "NGA",
        &[
            "Nigeria",
            "Federal Republic of Nigeria",
            "尼日利亚",
            "奈及利亞",
        ],
    ),
    (
        "NI",
        "NIC",
        &["Nicaragua", "Republic of Nicaragua", "尼加拉瓜"],
    ),
    (
        "NL",
        "NLD",
        &["Netherlands", "Kingdom of the Netherlands", "荷兰", "荷蘭"],
    ),
    ("NO", "NOR", &["Norway", "Kingdom of Norway", "挪威"]),
    (
        "NP",
        "NPL",
        &[
            "Nepal",
            "Federal Democratic Republic of Nepal",
            "尼泊尔",
            "尼泊爾",
        ],
    ),
    ("NR", "NRU", &["Nauru", "Republic of Nauru", "瑙鲁", "諾魯"]),
    ("NU", "NIU", &["Niue", "纽埃", "紐埃"]),
    ("NZ", "NZL", &["New Zealand", "新西兰", "紐西蘭"]),
    ("OM", "OMN", &["Oman", "Sultanate of Oman", "阿曼"]),
    (
        "PA",
        "PAN",
        &["Panama", "Republic of Panama", "巴拿马", "巴拿馬"],
    ),
    ("PE", "PER", &["Peru", "Republic of Peru", "秘鲁", "祕魯"]),
    (
        "PF",
        "PYF",
        &["French Polynesia", "法属玻利尼西亚", "法屬玻里尼西亞"],
    ),
    (
        "PG",
        "PNG",
        &[
            "Papua New Guinea",
            "Independent State of Papua New Guinea",
            "巴布亚新几内亚",
            "巴布亞紐幾內亞",
        ],
    ),
    (
        "PH",
        "PHL",
        &[
            "Philippines",
            "Republic of the Philippines",
            "菲律宾",
            "菲律賓",
        ],
    ),
    (
        "PK",
        "PAK",
        &["Pakistan", "Islamic Republic of Pakistan", "巴基斯坦"],
    ),
    (
        "PL",
        "POL",
        &["Poland", "Republic of Poland", "波兰", "波蘭"],
    ),
    (
        "PM",
        "SPM",
        &[
            "Saint Pierre and Miquelon",
            "圣皮埃尔和密克隆",
            "聖皮耶及密克隆群島",
        ],
    ),
    ("PN", "PCN", &["Pitcairn", "皮特克恩", "皮特肯島"]),
    ("PR", "PRI", &["Puerto Rico", "波多黎各"]),
    (
        "PS",
        "PSE",
        &["Palestine, State of", "the State of Palestine", "巴勒斯坦"],
    ),
    ("PT", "PRT", &["Portugal", "Portuguese Republic", "葡萄牙"]),
    ("PW", "PLW", &["Palau", "Republic of Palau", "帕劳", "帛琉"]),
    ("PY", "PRY", &["Paraguay", "Republic of Paraguay", "巴拉圭"]),
    ("QA", "QAT", &["Qatar", "State of Qatar", "卡塔尔", "卡達"]),
    ("RE", "REU", &["Réunion", "留尼汪", "留尼旺島"]),
    ("RO", "ROU", &["Romania", "罗马尼亚", "羅馬尼亞"]),
    // Kosovo: a user-assigned code in ISO 3166-1, used by the EU, SWIFT and libphonenumber (+383).
    ("XK", "XKX", &["Kosovo", "Republic of Kosovo", "科索沃"]),
    (
        "RS",
        "SRB",
        &["Serbia", "Republic of Serbia", "塞尔维亚", "塞爾維亞"],
    ),
    ("RU", "RUS", &["Russian Federation", "俄罗斯", "俄羅斯聯邦"]),
    (
        "RW",
        "RWA",
        &["Rwanda", "Rwandese Republic", "卢旺达", "盧安達"],
    ),
    (
        "SA",
        "SAU",
        &[
            "Saudi Arabia",
            "Kingdom of Saudi Arabia",
            "沙特阿拉伯",
            "沙烏地阿拉伯",
        ],
    ),
    (
        "SB",
        "SLB",
        &["Solomon Islands", "所罗门群岛", "索羅門群島"],
    ),
    (
        "SC",
        "SYC",
        &["Seychelles", "Republic of Seychelles", "塞舌尔", "塞席爾"],
    ),
    (
        "SD",
        "SDN",
        &["Sudan", "Republic of the Sudan", "苏丹", "蘇丹"],
    ),
    ("SE", "SWE", &["Sweden", "Kingdom of Sweden", "瑞典"]),
    (
        "SG",
        "SGP",
        &["Singapore", "Republic of Singapore", "新加坡"],
    ),
    (
        "SH",
        "SHN",
        &[
            "Saint Helena, Ascension and Tristan da Cunha",
            "圣赫勒拿-阿森松-特里斯坦达库尼亚",
            "聖赫倫那島、阿森松島及崔斯坦達庫尼亞群島",
        ],
    ),
    (
        "SI",
        "SVN",
        &[
            "Slovenia",
            "Republic of Slovenia",
            "斯洛文尼亚",
            "斯洛維尼亞",
        ],
    ),
    (
        "SJ",
        "SJM",
        &[
            "Svalbard and Jan Mayen",
            "斯瓦尔巴特和扬马延岛",
            "冷岸群島及央棉",
        ],
    ),
    ("SK", "SVK", &["Slovakia", "Slovak Republic", "斯洛伐克"]),
    (
        "SL",
        "SLE",
        &[
            "Sierra Leone",
            "Republic of Sierra Leone",
            "塞拉利昂",
            "獅子山",
        ],
    ),
    (
        "SM",
        "SMR",
        &[
            "San Marino",
            "Republic of San Marino",
            "圣马力诺市",
            "聖馬利諾",
        ],
    ),
    (
        "SN",
        "SEN",
        &["Senegal", "Republic of Senegal", "塞内加尔", "塞內加爾"],
    ),
    (
        "SO",
        "SOM",
        &[
            "Somalia",
            "Federal Republic of Somalia",
            "索马里",
            "索馬利亞",
        ],
    ),
    (
        "SR",
        "SUR",
        &["Suriname", "Republic of Suriname", "苏里南", "蘇利南"],
    ),
    (
        "SS",
        "SSD",
        &["South Sudan", "Republic of South Sudan", "南苏丹", "南蘇丹"],
    ),
    (
        "ST",
        "STP",
        &[
            "Sao Tome and Principe",
            "Democratic Republic of Sao Tome and Principe",
            "圣多美和普林西比",
            "聖多美及普林西比",
        ],
    ),
    (
        "SV",
        "SLV",
        &[
            "El Salvador",
            "Republic of El Salvador",
            "萨尔瓦多",
            "薩爾瓦多",
        ],
    ),
    (
        "SX",
        "SXM",
        &["Sint Maarten (Dutch part)", "荷属圣马丁", "聖馬丁 (荷屬)"],
    ),
    (
        "SY",
        "SYR",
        &[
            "Syrian Arab Republic",
            "Syria",
            "阿拉伯叙利亚共和国",
            "敘利亞阿拉伯共和國",
        ],
    ),
    (
        "SZ",
        "SWZ",
        &["Eswatini", "Kingdom of Eswatini", "斯威士兰", "史瓦帝尼"],
    ),
    (
        "TC",
        "TCA",
        &[
            "Turks and Caicos Islands",
            "特克斯和凯科斯群岛",
            "土克凱可群島",
        ],
    ),
    ("TD", "TCD", &["Chad", "Republic of Chad", "乍得", "查德"]),
    (
        "TF",
        "ATF",
        &[
            "French Southern Territories",
            "法属南半球领地",
            "法屬南部領地",
        ],
    ),
    ("TG", "TGO", &["Togo", "Togolese Republic", "多哥"]),
    (
        "TH",
        "THA",
        &["Thailand", "Kingdom of Thailand", "泰国", "泰國"],
    ),
    (
        "TJ",
        "TJK",
        &[
            "Tajikistan",
            "Republic of Tajikistan",
            "塔吉克斯坦",
            "塔吉克",
        ],
    ),
    ("TK", "TKL", &["Tokelau", "托克劳", "托克勞"]),
    (
        "TL",
        "TLS",
        &[
            "Timor-Leste",
            "Democratic Republic of Timor-Leste",
            "东帝汶",
            "東帝汶",
        ],
    ),
    ("TM", "TKM", &["Turkmenistan", "土库曼斯坦", "土庫曼"]),
    (
        "TN",
        "TUN",
        &["Tunisia", "Republic of Tunisia", "突尼斯", "突尼西亞"],
    ),
    ("TO", "TON", &["Tonga", "Kingdom of Tonga", "汤加", "東加"]),
    ("TR", "TUR", &["Türkiye", "Republic of Türkiye", "土耳其"]),
    (
        "TT",
        "TTO",
        &[
            "Trinidad and Tobago",
            "Republic of Trinidad and Tobago",
            "特里尼达和多巴哥",
            "千里達及托巴哥",
        ],
    ),
    ("TV", "TUV", &["Tuvalu", "图瓦卢", "吐瓦魯"]),
    (
        "TW",
        "TWN",
        &[
            "Taiwan, Province of China",
            "Taiwan",
            "中国台湾省",
            "中華民國",
        ],
    ),
    (
        "TZ",
        "TZA",
        &[
            "Tanzania, United Republic of",
            "Tanzania",
            "United Republic of Tanzania",
            "坦桑尼亚",
            "坦尚尼亞聯合共和國",
        ],
    ),
    ("UA", "UKR", &["Ukraine", "乌克兰", "烏克蘭"]),
    (
        "UG",
        "UGA",
        &["Uganda", "Republic of Uganda", "乌干达", "烏干達"],
    ),
    (
        "UM",
        "UMI",
        &[
            "United States Minor Outlying Islands",
            "美国本土外小岛屿",
            "美屬邊疆群島",
        ],
    ),
    (
        "US",
        "USA",
        &["United States", "United States of America", "美国", "美國"],
    ),
    (
        "UY",
        "URY",
        &["Uruguay", "Eastern Republic of Uruguay", "乌拉圭", "烏拉圭"],
    ),
    (
        "UZ",
        "UZB",
        &[
            "Uzbekistan",
            "Republic of Uzbekistan",
            "乌兹别克斯坦",
            "烏茲別克",
        ],
    ),
    (
        "VA",
        "VAT",
        &[
            "Holy See (Vatican City State)",
            "梵地冈",
            "教廷 (梵蒂岡城市國)",
        ],
    ),
    (
        "VC",
        "VCT",
        &[
            "Saint Vincent and the Grenadines",
            "圣文森特和格林纳丁斯",
            "聖文森及格瑞納丁",
        ],
    ),
    (
        "VE",
        "VEN",
        &[
            "Venezuela, Bolivarian Republic of",
            "Venezuela",
            "Bolivarian Republic of Venezuela",
            "委内瑞拉玻利瓦尔共和国",
            "委內瑞拉玻利瓦爾共和國",
        ],
    ),
    (
        "VG",
        "VGB",
        &[
            "Virgin Islands, British",
            "British Virgin Islands",
            "英属维尔京群岛",
            "英屬維京群島",
        ],
    ),
    (
        "VI",
        "VIR",
        &[
            "Virgin Islands, U.S.",
            "Virgin Islands of the United States",
            "美属维尔京群岛",
            "美屬維京群島",
        ],
    ),
    (
        "VN",
        "VNM",
        &[
            "Viet Nam",
            "Vietnam",
            "Socialist Republic of Viet Nam",
            "越南",
        ],
    ),
    (
        "VU",
        "VUT",
        &["Vanuatu", "Republic of Vanuatu", "瓦努阿图", "萬那杜"],
    ),
    (
        "WF",
        "WLF",
        &["Wallis and Futuna", "瓦利斯和富图纳", "沃里斯及伏塔那群島"],
    ),
    (
        "WS",
        "WSM",
        &["Samoa", "Independent State of Samoa", "萨摩亚", "薩摩亞"],
    ),
    ("YE", "YEM", &["Yemen", "Republic of Yemen", "也门", "葉門"]),
    ("YT", "MYT", &["Mayotte", "马约特", "馬約特"]),
    (
        "ZA",
        "ZAF",
        &["South Africa", "Republic of South Africa", "南非"],
    ),
    (
        "ZM",
        "ZMB",
        &["Zambia", "Republic of Zambia", "赞比亚", "尚比亞"],
    ),
    (
        "ZW",
        "ZWE",
        &["Zimbabwe", "Republic of Zimbabwe", "津巴布韦", "辛巴威"],
    ),
];

/// Common names and spellings not in the ISO table.
#[rustfmt::skip]
static ALIASES: &[(&str, &str)] = &[
    // English
    ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"), ("Britain", "GB"), ("England", "GB"),
    ("Scotland", "GB"), ("Wales", "GB"), ("Northern Ireland", "GB"),
    ("USA", "US"), ("U.S.A.", "US"), ("U.S.", "US"), ("United States of America", "US"),
    ("America", "US"), ("The United States", "US"),
    ("PRC", "CN"), ("Mainland China", "CN"), ("P.R. China", "CN"), ("China Mainland", "CN"),
    ("Hongkong", "HK"), ("Hong Kong SAR", "HK"), ("Hong Kong, China", "HK"),
    ("Macau", "MO"), ("Macau SAR", "MO"), ("Macao SAR", "MO"),
    ("Taiwan, China", "TW"), ("Republic of China", "TW"), ("Chinese Taipei", "TW"),
    ("Korea", "KR"), ("Republic of Korea", "KR"), ("ROK", "KR"), ("DPRK", "KP"),
    ("Russia", "RU"), ("Iran", "IR"), ("Syria", "SY"), ("Laos", "LA"), ("Vietnam", "VN"),
    ("Moldova", "MD"), ("Bolivia", "BO"), ("Venezuela", "VE"), ("Tanzania", "TZ"),
    ("Czech Republic", "CZ"), ("Turkey", "TR"), ("Holland", "NL"), ("The Netherlands", "NL"),
    ("Ivory Coast", "CI"), ("Cape Verde", "CV"), ("Swaziland", "SZ"), ("Eswatini", "SZ"),
    ("Macedonia", "MK"), ("Burma", "MM"), ("East Timor", "TL"), ("Vatican", "VA"),
    ("Vatican City", "VA"), ("Micronesia", "FM"), ("Palestine", "PS"), ("UAE", "AE"),
    ("Emirates", "AE"), ("Brunei", "BN"), ("Congo-Kinshasa", "CD"), ("DR Congo", "CD"),
    ("DRC", "CD"), ("Congo-Brazzaville", "CG"), ("Republic of the Congo", "CG"),
    ("Falkland Islands", "FK"), ("Saint Kitts", "KN"), ("St Kitts and Nevis", "KN"),
    ("St Lucia", "LC"), ("St Vincent and the Grenadines", "VC"), ("Virgin Islands", "VI"),
    ("British Virgin Islands", "VG"), ("US Virgin Islands", "VI"), ("Curacao", "CW"),
    ("Reunion", "RE"), ("Sao Tome and Principe", "ST"), ("Aland Islands", "AX"),
    // Other languages
    ("Deutschland", "DE"), ("Allemagne", "DE"), ("Österreich", "AT"), ("Schweiz", "CH"),
    ("Suisse", "CH"), ("Svizzera", "CH"), ("España", "ES"), ("Italia", "IT"),
    ("Nederland", "NL"), ("Belgique", "BE"), ("België", "BE"), ("Brasil", "BR"),
    ("México", "MX"), ("Sverige", "SE"), ("Norge", "NO"), ("Danmark", "DK"), ("Suomi", "FI"),
    ("Polska", "PL"), ("Россия", "RU"), ("Nippon", "JP"), ("Nihon", "JP"), ("日本国", "JP"),
    ("대한민국", "KR"), ("한국", "KR"), ("Türkiye", "TR"), ("Ελλάδα", "GR"),
    // Chinese
    ("中华人民共和国", "CN"), ("中華人民共和國", "CN"), ("中国大陆", "CN"), ("中國大陸", "CN"),
    ("大陆", "CN"), ("内地", "CN"), ("中国内地", "CN"),
    ("中国香港", "HK"), ("中國香港", "HK"), ("香港特别行政区", "HK"), ("香港特別行政區", "HK"),
    ("中国澳门", "MO"), ("中國澳門", "MO"), ("澳門", "MO"), ("澳门特别行政区", "MO"),
    ("澳門特別行政區", "MO"), ("台湾", "TW"), ("臺灣", "TW"), ("台灣", "TW"), ("中国台湾", "TW"),
    ("中國台灣", "TW"), ("台湾省", "TW"),
    ("美利坚合众国", "US"), ("美利堅合眾國", "US"), ("美國", "US"),
    ("英格兰", "GB"), ("苏格兰", "GB"), ("威尔士", "GB"), ("北爱尔兰", "GB"), ("大不列颠", "GB"),
    ("联合王国", "GB"),
    ("韩国", "KR"), ("韓國", "KR"), ("南韩", "KR"), ("南韓", "KR"), ("朝鲜", "KP"), ("北韩", "KP"),
    ("俄罗斯联邦", "RU"), ("俄羅斯", "RU"), ("伊朗", "IR"), ("叙利亚", "SY"), ("老挝", "LA"),
    ("摩尔多瓦", "MD"), ("玻利维亚", "BO"), ("委内瑞拉", "VE"), ("柬埔寨", "KH"),
    ("危地马拉", "GT"), ("梵蒂冈", "VA"), ("博茨瓦纳", "BW"), ("孟加拉国", "BD"),
    ("吉尔吉斯斯坦", "KG"), ("圣卢西亚", "LC"), ("马耳他", "MT"), ("圣马力诺", "SM"),
    ("法属波利尼西亚", "PF"), ("皮特凯恩群岛", "PN"), ("马恩岛", "IM"), ("斯威士兰王国", "SZ"),
    ("马其顿", "MK"), ("蒙古国", "MN"), ("捷克共和国", "CZ"), ("阿拉伯联合酋长国", "AE"),
    ("沙特", "SA"), ("印尼", "ID"), ("孟加拉", "BD"), ("澳洲", "AU"), ("纽西兰", "NZ"),
    ("义大利", "IT"), ("意大利", "IT"), ("德國", "DE"), ("法國", "FR"), ("瑞士", "CH"),
    ("荷蘭", "NL"), ("加拿大", "CA"), ("新加坡", "SG"), ("星加坡", "SG"), ("马来西亚", "MY"),
    ("馬來西亞", "MY"), ("泰國", "TH"), ("越南", "VN"), ("菲律賓", "PH"), ("印度", "IN"),
    ("巴西", "BR"), ("墨西哥", "MX"), ("西班牙", "ES"), ("葡萄牙", "PT"), ("瑞典", "SE"),
    ("挪威", "NO"), ("丹麦", "DK"), ("芬兰", "FI"), ("爱尔兰", "IE"), ("比利时", "BE"),
    ("奥地利", "AT"), ("波兰", "PL"), ("希腊", "GR"), ("土耳其", "TR"), ("以色列", "IL"),
    ("埃及", "EG"), ("南非", "ZA"), ("阿根廷", "AR"), ("智利", "CL"), ("哥伦比亚", "CO"),
    ("秘鲁", "PE"), ("乌克兰", "UA"), ("哈萨克斯坦", "KZ"), ("巴基斯坦", "PK"), ("缅甸", "MM"),
    ("尼泊尔", "NP"), ("斯里兰卡", "LK"), ("蒙古", "MN"), ("卡塔尔", "QA"), ("科威特", "KW"),
    ("尼日利亚", "NG"), ("肯尼亚", "KE"), ("匈牙利", "HU"), ("捷克", "CZ"), ("罗马尼亚", "RO"),
];

/// Matching key: compatibility decomposition, accents dropped, lower case, letters and digits only.
fn key(s: &str) -> String {
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn index() -> &'static HashMap<String, &'static str> {
    static INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for (a2, a3, names) in COUNTRIES {
            for n in [*a2, *a3].iter().chain(names.iter()) {
                map.insert(key(n), *a2);
            }
        }
        for (alias, a2) in ALIASES {
            map.entry(key(alias)).or_insert(*a2);
        }
        map
    })
}

/// Looks a country up by alpha-2, alpha-3, English or Chinese name or alias; returns alpha-2.
pub fn lookup(raw: &str) -> Option<&'static str> {
    let k = key(&clean_text(raw));
    if k.is_empty() {
        return None;
    }
    index().get(&k).copied()
}

/// English short name of an alpha-2 code (`"CN"` -> `"China"`).
pub fn country_name(alpha2: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(a2, _, _)| a2.eq_ignore_ascii_case(alpha2))
        .map(|(_, _, names)| names[0])
}

/// Normalizes a country to its ISO 3166-1 alpha-2 code. Matching ignores case, width,
/// accents, punctuation and spaces (`u.s.a.`, `ＵＳＡ`, `United States`, `美国` -> `US`).
/// Unknown input (including punctuation only) gives Error `country-unknown` and keeps the cleaned input;
/// a blank input gives an empty value and no issue.
pub fn check_country(raw: &str) -> Checked {
    let cleaned = clean_text(raw);
    if cleaned.is_empty() {
        return Checked {
            value: cleaned,
            issues: Vec::new(),
        };
    }
    match lookup(&cleaned) {
        Some(code) => Checked {
            value: code.to_string(),
            issues: Vec::new(),
        },
        None => Checked {
            issues: vec![Issue {
                rule: "country-unknown",
                level: Level::Error,
                message: format!(
                    "\"{cleaned}\" is not a known country; use an ISO 3166-1 code or name"
                ),
                suggestion: None,
            }],
            value: cleaned,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> String {
        check_country(s).value
    }

    #[test]
    fn table_is_complete_and_consistent() {
        // The 249 officially assigned codes, and Kosovo (XK).
        assert_eq!(COUNTRIES.len(), 250);
        let mut owner: HashMap<String, &str> = HashMap::new();
        for (a2, a3, names) in COUNTRIES {
            assert_eq!(a2.len(), 2);
            assert_eq!(a3.len(), 3);
            for n in [*a2, *a3].iter().chain(names.iter()) {
                if let Some(prev) = owner.insert(key(n), a2) {
                    assert_eq!(prev, *a2, "{n} maps to both {prev} and {a2}");
                }
                assert_eq!(lookup(n), Some(*a2), "{n}");
            }
        }
        for (alias, a2) in ALIASES {
            assert!(country_name(a2).is_some(), "{a2}");
            assert_eq!(lookup(alias), Some(*a2), "alias {alias}");
        }
    }

    #[test]
    fn codes() {
        assert_eq!(v("cn"), "CN");
        assert_eq!(v("CHN"), "CN");
        assert_eq!(v(" deu "), "DE");
        assert_eq!(v("ＵＳＡ"), "US");
        assert_eq!(v("gbr"), "GB");
    }

    #[test]
    fn english_names_and_aliases() {
        assert_eq!(v("United States of America"), "US");
        assert_eq!(v("u.s.a."), "US");
        assert_eq!(v("America"), "US");
        assert_eq!(v("UK"), "GB");
        assert_eq!(v("great britain"), "GB");
        assert_eq!(v("England"), "GB");
        assert_eq!(v("Scotland"), "GB");
        assert_eq!(v("Deutschland"), "DE");
        assert_eq!(v("Holland"), "NL");
        assert_eq!(v("South Korea"), "KR");
        assert_eq!(v("Korea"), "KR");
        assert_eq!(v("North Korea"), "KP");
        assert_eq!(v("Russia"), "RU");
        assert_eq!(v("Côte d'Ivoire"), "CI");
        assert_eq!(v("cote divoire"), "CI");
        assert_eq!(v("Bosnia and Herzegovina"), "BA");
        assert_eq!(v("Viet Nam"), "VN");
        assert_eq!(v("Hong Kong"), "HK");
    }

    #[test]
    fn chinese_names() {
        for (zh, code) in [
            ("中国", "CN"),
            ("中华人民共和国", "CN"),
            ("中国大陆", "CN"),
            ("美国", "US"),
            ("英国", "GB"),
            ("德国", "DE"),
            ("法国", "FR"),
            ("日本", "JP"),
            ("韩国", "KR"),
            ("加拿大", "CA"),
            ("澳大利亚", "AU"),
            ("新加坡", "SG"),
            ("马来西亚", "MY"),
            ("香港", "HK"),
            ("中国香港", "HK"),
            ("澳门", "MO"),
            ("台湾", "TW"),
            ("中国台湾", "TW"),
            ("意大利", "IT"),
            ("西班牙", "ES"),
            ("荷兰", "NL"),
            ("瑞士", "CH"),
            ("瑞典", "SE"),
            ("俄罗斯", "RU"),
            ("印度", "IN"),
            ("泰国", "TH"),
            ("越南", "VN"),
            ("新西兰", "NZ"),
            ("巴西", "BR"),
            ("墨西哥", "MX"),
            ("中國", "CN"),
            ("（中国）", "CN"),
        ] {
            assert_eq!(v(zh), code, "{zh}");
        }
    }

    #[test]
    fn unknown() {
        let c = check_country(" Atlantis ");
        assert_eq!(c.value, "Atlantis");
        assert_eq!(c.issues.len(), 1);
        assert_eq!(c.issues[0].rule, "country-unknown");
        assert_eq!(c.issues[0].level, Level::Error);
        assert_eq!(check_country("火星").issues[0].rule, "country-unknown");
        assert_eq!(check_country("---").issues[0].rule, "country-unknown");
        assert!(check_country("  ").issues.is_empty());
        assert_eq!(check_country("  ").value, "");
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            let once = check_country(&s).value;
            prop_assert_eq!(check_country(&once).value, once.clone());
        }

        #[test]
        fn codes_are_fixed_points(i in 0usize..249) {
            let (a2, a3, names) = COUNTRIES[i];
            prop_assert_eq!(check_country(a2).value, a2);
            prop_assert_eq!(check_country(&a3.to_lowercase()).value, a2);
            prop_assert_eq!(check_country(&names[0].to_uppercase()).value, a2);
        }
    }
}
