//! Name tables: English nicknames, traditional -> simplified folding,
//! Chinese compound surnames and pinyin helpers.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Groups of given names that refer to the same person (formal name first).
const NICKNAMES: &[&str] = &[
    "william bill will billy willy liam willie",
    "robert bob rob bobby robbie bert robin",
    "richard rick dick rich ricky richie",
    "elizabeth liz beth betty eliza lizzie libby betsy elisabeth lisa bess",
    "margaret maggie meg peggy marge greta margie",
    "katherine kate kathy katie cathy kat kitty catherine kathryn kathleen",
    "james jim jimmy jamie",
    "john jack johnny jon",
    "jonathan jon jonny",
    "joseph joe joey",
    "michael mike mick mickey mikey",
    "thomas tom tommy",
    "charles charlie chuck chas",
    "christopher chris kit topher",
    "christine chris tina christy christina kristine",
    "daniel dan danny",
    "david dave davy",
    "edward ed eddie ted ned",
    "anthony tony",
    "andrew andy drew",
    "alexander alex sandy xander alec",
    "alexandra alex sandra lexi alexa",
    "benjamin ben benny",
    "nicholas nick nicky",
    "matthew matt matty",
    "patrick pat paddy",
    "patricia pat patty trish tricia",
    "peter pete",
    "samuel sam sammy",
    "samantha sam sammie",
    "stephen steve steven stevie",
    "timothy tim timmy",
    "gregory greg",
    "jeffrey jeff geoffrey geoff",
    "joshua josh",
    "kenneth ken kenny",
    "lawrence larry laurence",
    "raymond ray",
    "ronald ron ronnie",
    "donald don donnie",
    "douglas doug",
    "frederick fred freddie freddy",
    "gerald gerry jerry",
    "harold harry hal",
    "henry harry hank",
    "jacob jake",
    "leonard leo len lenny",
    "louis lou",
    "nathaniel nate nat",
    "nathan nate",
    "philip phil phillip",
    "vincent vince vinny",
    "walter walt wally",
    "zachary zach zack",
    "abigail abby gail",
    "barbara barb babs",
    "deborah deb debbie debra",
    "dorothy dot dottie",
    "jennifer jen jenny",
    "jessica jess jessie",
    "judith judy",
    "kimberly kim",
    "mary molly polly mae",
    "rebecca becky becca",
    "susan sue susie suzy suzanne",
    "victoria vicky tori",
    "virginia ginny",
    "amanda mandy",
    "cynthia cindy",
    "pamela pam",
    "sandra sandy",
    "teresa terry tess theresa tessa",
    "valerie val",
    "frances fran frannie",
    "francis frank",
    "franklin frank",
    "eleanor ellie nora",
    "helen nell",
    "emily em emmy",
    "olivia liv livvy",
    "isabella bella izzy isabel",
    "sophia sophie",
    "madeline maddie madeleine",
    "allison ali allie alison",
    "anne annie ann anna",
    "caroline carrie carol",
    "charlotte lottie charlie",
    "josephine jo josie",
    "evelyn evie",
    "gabrielle gabby",
    "jacqueline jackie",
    "janet jan",
    "joanne jo joanna",
    "lillian lily",
    "lucinda lucy",
    "melissa mel missy",
    "penelope penny",
    "rosemary rosie rose",
    "stephanie steph",
    "albert al bert",
    "alfred alf fred",
    "arthur art",
    "bernard bernie",
    "bradley brad",
    "cameron cam",
    "clifford cliff",
    "curtis curt",
    "dennis denny",
    "dominic dom",
    "eugene gene",
    "gabriel gabe",
    "herbert herb",
    "jerome jerry",
    "maximilian max maxwell",
    "mitchell mitch",
    "oliver ollie",
    "randolph randy randall",
    "reginald reg reggie",
    "russell russ",
    "sebastian seb",
    "stanley stan",
    "terrence terry terence",
    "theodore ted teddy theo",
    "tobias toby",
    "wesley wes",
    "matilda tilly",
    "angela angie",
    "christian chris",
];

/// FNV-1a hasher for the small static tables.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);
impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf29ce484222325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        self.0 = h;
    }
}
type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

fn nick_map() -> &'static HashMap<&'static str, Vec<u16>, FnvBuild> {
    static M: OnceLock<HashMap<&'static str, Vec<u16>, FnvBuild>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<u16>, FnvBuild> = HashMap::default();
        for (i, g) in NICKNAMES.iter().enumerate() {
            for n in g.split(' ') {
                m.entry(n).or_default().push(i as u16);
            }
        }
        m
    })
}

/// The nickname groups a (lowercase) name is in, and each group's formal name (its first), for the
/// features table: `is_nickname` and `is_nickname_fuzzy` are these lists compared.
pub fn nick_groups(n: &str) -> (Vec<u16>, Vec<&'static str>) {
    match nick_map().get(n) {
        Some(gs) => (
            gs.clone(),
            gs.iter()
                .map(|&g| NICKNAMES[g as usize].split(' ').next().unwrap_or(""))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    }
}

/// A misspelt formal name vs one of its nicknames ("Richad" / "Dick").
pub fn is_nickname_fuzzy(a: &str, b: &str) -> bool {
    let m = nick_map();
    let check = |x: &str, y: &str| {
        x.len() >= 4
            && m.get(y).is_some_and(|gs| {
                gs.iter().any(|&g| {
                    let formal = NICKNAMES[g as usize].split(' ').next().unwrap_or("");
                    formal != y && super::sim::within_one_edit(x, formal)
                })
            })
    };
    check(a, b) || check(b, a)
}

/// First letters of the formal names a (lowercase) nickname belongs to.
pub fn formal_initials(n: &str) -> Vec<u8> {
    nick_map()
        .get(n)
        .map(|gs| {
            gs.iter()
                .filter_map(|&g| NICKNAMES[g as usize].as_bytes().first().copied())
                .collect()
        })
        .unwrap_or_default()
}

/// True when the two (lowercase) given names are known nickname variants of each other.
pub fn is_nickname(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let m = nick_map();
    match (m.get(a), m.get(b)) {
        (Some(x), Some(y)) => x.iter().any(|g| y.contains(g)),
        _ => false,
    }
}

/// Pairs of (traditional, simplified) characters common in names and addresses.
const TRAD_SIMP: &str = "張张劉刘陳陈楊杨趙赵黃黄吳吴孫孙馬马鄭郑謝谢韓韩馮冯鄧邓蕭萧葉叶許许蘇苏盧卢蔣蒋賈贾閻阎錢钱湯汤嚴严龍龙陸陆萬万賴赖顧顾龔龚鐘钟鍾钟譚谭範范韋韦鄒邹關关歐欧陽阳諸诸東东長长偉伟華华國国強强軍军紅红麗丽靜静傑杰濤涛輝辉鵬鹏穎颖飛飞鳳凤雲云剛刚勝胜寧宁慶庆興兴業业廣广曉晓蘭兰樂乐發发貴贵順顺寶宝榮荣鳴鸣瑩莹瑤瑶嬌娇薈荟蕓芸環环瓊琼銘铭鋒锋鐵铁銀银錦锦鎮镇鍵键鈞钧釗钊愛爱誠诚義义禮礼維维綺绮緯纬紀纪綠绿紹绍繼继絲丝經经納纳純纯詩诗語语誼谊豐丰豔艳艷艳軒轩達达連连遠远運运進进邁迈遼辽鄉乡開开閃闪閣阁際际隨随雙双靈灵韻韵頂顶頌颂領领顏颜風风颯飒飄飘驍骁騰腾驕骄驥骥鴻鸿鶴鹤麥麦黨党齊齐齡龄億亿儀仪優优傳传兒儿凱凯劍剑動动勵励勞劳勳勋厲厉參参員员問问啟启喬乔單单團团園园圓圆圖图堅坚報报場场壯壮壽寿夢梦奪夺奮奋婦妇媽妈嬋婵嫻娴學学實实將将專专尋寻對对導导層层嶺岭島岛帥帅師师帶带幾几庫库廳厅彥彦從从復复徵征憲宪憶忆應应懷怀戀恋戰战攝摄數数斕斓斷断無无舊旧時时晉晋暉晖曆历曄晔書书會会棟栋樺桦樹树橋桥機机權权歡欢歲岁歷历歸归氣气漢汉潔洁潤润澤泽濱滨瀾澜灣湾煒炜煥焕燁烨爾尔燦灿獅狮獻献現现瑋玮璽玺瓏珑產产畢毕異异當当眾众碩硕祿禄禎祯禕祎種种穩稳竇窦筆笔節节簡简綱纲網网綿绵緒绪縣县總总績绩繽缤羅罗習习聖圣聞闻聯联聰聪聲声舉举藝艺處处號号蟬蝉術术衛卫裝装見见規规親亲覺觉觀观計计訓训記记設设詠咏誌志說说調调諾诺謙谦證证譽誉護护讓让貞贞財财賀贺賢贤資资質质贏赢躍跃車车輕轻載载轉转辦办農农迴回週周遊游遙遥適适選选還还邊边醫医釋释針针釧钏鈴铃鉅钜銳锐錫锡鍊炼鎧铠鏡镜鐸铎鑑鉴門门閔闵閩闽闊阔陣阵陰阴隊队階阶隱隐雋隽電电頤颐題题颺飏館馆駿骏騏骐驊骅體体髮发魯鲁鮑鲍鳥鸟鴿鸽鷹鹰鹽盐點点齋斋龐庞儉俭倫伦僑侨劃划勁劲匯汇協协嘯啸壇坛奧奥婁娄寬宽岡冈崗岗嵐岚巖岩幫帮廈厦彌弥徹彻揚扬暢畅楨桢橫横櫻樱沖冲淵渊溫温滿满漁渔濟济瀅滢灝灏燈灯爍烁畫画禪禅競竞箏筝粵粤紋纹細细絢绚絹绢緣缘縉缙繆缪續续纓缨翹翘聶聂肅肃與与莊庄萊莱葦苇蓮莲蔭荫薩萨藍蓝蘆芦訊讯詮诠謀谋謹谨譯译貝贝賓宾賜赐贊赞軼轶輔辅輿舆遜逊鄔邬鄺邝鈺钰鉑铂銓铨鋼钢錚铮錄录鍇锴鎔镕鐳镭鑠铄閎闳閏闰陝陕韜韬頡颉頎颀顯显馳驰駱骆鮮鲜鵑鹃鶯莺區区縣县鎮镇鄉乡廣广場场號号樓楼層层室室路路街街巷巷園园灣湾區区蘇苏滬沪粵粤閩闽贛赣遼辽黑黑龍龙瀋沈陽阳廈厦門门臺台灣湾澳澳門门漢汉鄂鄂濰潍濟济鄭郑張张洛洛陽阳貴贵雲云藏藏陝陕寧宁夏夏疆疆內内蒙蒙廳厅紹绍興兴溫温嘉嘉湖湖東东莞莞惠惠韶韶潮潮揚扬鎮镇蘭兰";

fn trad_map() -> &'static HashMap<char, char, FnvBuild> {
    static M: OnceLock<HashMap<char, char, FnvBuild>> = OnceLock::new();
    M.get_or_init(|| {
        let cs: Vec<char> = TRAD_SIMP.chars().collect();
        let mut m = HashMap::with_capacity_and_hasher(cs.len() / 2, FnvBuild::default());
        for p in cs.chunks_exact(2) {
            if p[0] != p[1] {
                m.insert(p[0], p[1]);
            }
        }
        m
    })
}

/// Fold a traditional Chinese character to its simplified form (identity otherwise).
pub fn to_simplified(c: char) -> char {
    if (c as u32) < 0x3400 {
        return c;
    }
    *trad_map().get(&c).unwrap_or(&c)
}

/// True for CJK unified ideographs (the ranges used by Chinese names).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "太史",
    "申屠", "公羊", "司空", "闻人", "赫连", "万俟",
];

/// Split a simplified Chinese full name (no spaces) into (family, given).
pub fn split_cjk_name(s: &str) -> (String, String) {
    let n = s.chars().count();
    if n >= 3 {
        for cs in COMPOUND_SURNAMES {
            if let Some(rest) = s.strip_prefix(cs) {
                return (cs.to_string(), rest.to_string());
            }
        }
    }
    let mut it = s.chars();
    match it.next() {
        Some(c) if n >= 2 => (c.to_string(), it.collect()),
        _ => (String::new(), s.to_string()),
    }
}

/// Surname readings that differ from the character's most common reading.
fn surname_reading(c: char) -> Option<&'static str> {
    Some(match c {
        '曾' => "zeng",
        '单' => "shan",
        '解' => "xie",
        '仇' => "qiu",
        '朴' => "piao",
        '区' => "ou",
        '查' => "zha",
        '盖' => "ge",
        '乐' => "yue",
        '种' => "chong",
        '覃' => "qin",
        '召' => "shao",
        '缪' => "miao",
        '翟' => "zhai",
        '万' => "wan",
        '秘' => "bi",
        '华' => "hua",
        '尉' => "yu",
        '长' => "zhang",
        '重' => "chong",
        _ => return None,
    })
}

/// Toneless pinyin of a (simplified) Chinese string, syllables concatenated.
/// Non-CJK characters are kept (lowercased). `surname` applies surname readings.
pub fn pinyin_of(s: &str, surname: bool) -> String {
    use pinyin::ToPinyin;
    let mut out = String::with_capacity(s.len() * 2);
    for (i, c) in s.chars().enumerate() {
        if surname && i == 0 {
            if let Some(r) = surname_reading(c) {
                out.push_str(r);
                continue;
            }
        }
        match c.to_pinyin() {
            Some(p) => out.push_str(p.plain()),
            None => {
                for l in c.to_lowercase() {
                    out.push(l);
                }
            }
        }
    }
    out
}

/// Fold common Latin diacritics to ASCII and lowercase.
pub fn fold_latin(c: char) -> char {
    let c = if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c
    };
    match c {
        'à'..='å' | 'À'..='Å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'Ç' | 'ć' | 'č' => 'c',
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'į' | 'ı' => 'i',
        'ñ' | 'Ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'ő' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'š' | 'ś' | 'ş' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ť' => 't',
        'ď' => 'd',
        'ß' => 's',
        _ => {
            if c.is_ascii() {
                c
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        }
    }
}

/// American Soundex code of an ASCII word ("" for empty input).
pub fn soundex(s: &str) -> String {
    soundex_code(s)
        .map(|c| c.iter().map(|&b| char::from(b)).collect())
        .unwrap_or_default()
}

/// `soundex` as four bytes, without allocating (blocking computes one or two a row per rule); None for a name
/// with no ASCII lowercase letter.
pub fn soundex_code(s: &str) -> Option<[u8; 4]> {
    let code = |c: u8| match c {
        b'b' | b'f' | b'p' | b'v' => b'1',
        b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
        b'd' | b't' => b'3',
        b'l' => b'4',
        b'm' | b'n' => b'5',
        b'r' => b'6',
        b'h' | b'w' => b'-',
        _ => b'0',
    };
    let mut bytes = s.bytes().filter(|b| b.is_ascii_lowercase());
    let first = bytes.next()?;
    let mut out = [first.to_ascii_uppercase(), b'0', b'0', b'0'];
    let mut len = 1;
    let mut last = code(first);
    for b in bytes {
        let c = code(b);
        if c == b'-' {
            continue;
        }
        if c != b'0' && c != last {
            out[len] = c;
            len += 1;
            if len == 4 {
                break;
            }
        }
        last = c;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames() {
        assert!(is_nickname("bob", "robert"));
        assert!(is_nickname("bill", "william"));
        assert!(is_nickname("liz", "elizabeth"));
        assert!(is_nickname("chris", "christine"));
        assert!(!is_nickname("bob", "william"));
        assert!(is_nickname_fuzzy("richad", "dick"));
        assert!(is_nickname_fuzzy("mandy", "amadna"));
        assert!(!is_nickname_fuzzy("richard", "mandy"));
        assert!(NICKNAMES.len() >= 100);
    }

    #[test]
    fn chinese() {
        let s: String = "張偉".chars().map(to_simplified).collect();
        assert_eq!(s, "张伟");
        assert_eq!(split_cjk_name("欧阳娜娜"), ("欧阳".into(), "娜娜".into()));
        assert_eq!(split_cjk_name("张伟"), ("张".into(), "伟".into()));
        assert_eq!(pinyin_of("张伟", false), "zhangwei");
        assert_eq!(pinyin_of("曾", true), "zeng");
        assert_eq!(pinyin_of("玮", false), "wei");
    }

    #[test]
    fn soundex_codes() {
        assert_eq!(soundex("robert"), "R163");
        assert_eq!(soundex("rupert"), "R163");
        assert_eq!(soundex("ashcraft"), "A261");
        assert_eq!(soundex("tymczak"), "T522");
    }
}
