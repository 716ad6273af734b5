//! Allocation-free string similarities for short ASCII strings (the hot path),
//! falling back to `strsim` for long or non-ASCII input.

/// Jaro-Winkler (same definition as `strsim::jaro_winkler`), allocation-free for
/// strings of up to 64 characters (bytes for ASCII, chars otherwise).
pub fn jw(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        let (x, y) = (a.as_bytes(), b.as_bytes());
        if x.len() <= 64 && y.len() <= 64 {
            return jw_slices(x, y);
        }
        return strsim::jaro_winkler(a, b);
    }
    let mut xa = [0u32; 64];
    let mut ya = [0u32; 64];
    let (mut nx, mut ny) = (0usize, 0usize);
    for c in a.chars() {
        if nx == 64 {
            return strsim::jaro_winkler(a, b);
        }
        xa[nx] = c as u32;
        nx += 1;
    }
    for c in b.chars() {
        if ny == 64 {
            return strsim::jaro_winkler(a, b);
        }
        ya[ny] = c as u32;
        ny += 1;
    }
    jw_slices(&xa[..nx], &ya[..ny])
}

fn jw_slices<T: PartialEq + Copy>(x: &[T], y: &[T]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let range = (x.len().max(y.len()) / 2).saturating_sub(1);
    let mut flags_b: u64 = 0;
    let mut flags_a: u64 = 0;
    let mut m = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = (i + range + 1).min(y.len());
        for (j, &yc) in y.iter().enumerate().take(hi).skip(lo) {
            if flags_b & (1 << j) == 0 && yc == c {
                flags_b |= 1 << j;
                flags_a |= 1 << i;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut j = 0usize;
    for (i, &c) in x.iter().enumerate() {
        if flags_a & (1 << i) != 0 {
            while flags_b & (1 << j) == 0 {
                j += 1;
            }
            if c != y[j] {
                t += 1;
            }
            j += 1;
        }
    }
    let m = m as f64;
    let sim = (m / x.len() as f64 + m / y.len() as f64 + (m - (t / 2) as f64) / m) / 3.0;
    if sim > 0.7 {
        let p = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
        sim + 0.1 * p as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// True when the optimal-string-alignment distance is at most 1
/// (one substitution, insertion, deletion or adjacent transposition).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() {
        return strsim::osa_distance(a, b) <= 1;
    }
    let (s, l) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if l.len() - s.len() > 1 {
        return false;
    }
    let p = s.iter().zip(l).take_while(|(p, q)| p == q).count();
    if p == s.len() {
        return true; // equal, or one trailing insertion
    }
    if s.len() == l.len() {
        // substitution at p, or transposition p,p+1
        if s[p + 1..] == l[p + 1..] {
            return true;
        }
        p + 1 < s.len() && s[p] == l[p + 1] && s[p + 1] == l[p] && s[p + 2..] == l[p + 2..]
    } else {
        s[p..] == l[p + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jw_matches_strsim() {
        for (a, b) in [
            ("martha", "marhta"),
            ("dixon", "dicksonx"),
            ("jellyfish", "smellyfish"),
            ("", "x"),
            ("abc", "abc"),
            ("zhang", "zhao"),
            ("a", "b"),
            ("和平区深南大道", "和平区深南路"),
            ("josé", "jose"),
        ] {
            assert!(
                (jw(a, b) - strsim::jaro_winkler(a, b)).abs() < 1e-12,
                "{a} {b}"
            );
        }
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("smith", "smith"));
        assert!(within_one_edit("smith", "smyth"));
        assert!(within_one_edit("smith", "smiht"));
        assert!(within_one_edit("smith", "smit"));
        assert!(within_one_edit("smith", "xsmith"));
        assert!(!within_one_edit("smith", "smythe"));
        assert!(!within_one_edit("smith", "mitsh"));
        assert!(within_one_edit("张伟", "张玮"));
    }
}
