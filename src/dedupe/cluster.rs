//! Connected components over accepted pairs, with a chaining guard: a component
//! in which some members clearly do not match each other is re-built by a
//! constrained union (strongest edges first, never joining two groups that
//! contain a cannot-link pair), or re-clustered with a higher threshold if it
//! is too large to check exhaustively. Components the guard touched are flagged.

use rayon::prelude::*;

pub struct Dsu {
    p: Vec<u32>,
}

impl Dsu {
    pub fn new(n: usize) -> Self {
        Dsu {
            p: (0..n as u32).collect(),
        }
    }
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.p[x as usize] != x {
            let g = self.p[self.p[x as usize] as usize];
            self.p[x as usize] = g;
            x = g;
        }
        x
    }
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.p[hi as usize] = lo;
        true
    }
}

pub struct GuardCfg {
    /// Pairs below this probability inside a component are cannot-links.
    pub split_below: f64,
    /// Components up to this size are checked on all their pairs.
    pub max_check: usize,
}

/// Returns (groups of rows, flagged) for one component.
fn resolve_component(
    members: Vec<u32>,
    edges: Vec<(u32, u32, f64)>,
    score: &(dyn Fn(u32, u32) -> f64 + Sync),
    g: &GuardCfg,
    depth: u32,
) -> Vec<(Vec<u32>, bool)> {
    let k = members.len();
    if k <= 2 {
        return vec![(members, false)];
    }
    if k > g.max_check {
        // too large to check every pair: raise the bar inside the component
        let bar = 1.0 - 10f64.powi(-(3 + 2 * depth as i32));
        if depth >= 6 {
            return vec![(members, true)];
        }
        let kept: Vec<(u32, u32, f64)> = edges.iter().copied().filter(|e| e.2 >= bar).collect();
        return components(&members, &kept)
            .into_iter()
            .flat_map(|(m, e)| {
                resolve_component(m, e, score, g, depth + 1)
                    .into_iter()
                    .map(|(c, _)| (c, true))
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    // exhaustive check
    let idx = |r: u32| members.binary_search(&r).unwrap_or(0);
    let mut cannot = vec![false; k * k];
    let mut any = false;
    for i in 0..k {
        for j in i + 1..k {
            if score(members[i], members[j]) < g.split_below {
                cannot[i * k + j] = true;
                cannot[j * k + i] = true;
                any = true;
            }
        }
    }
    if !any {
        return vec![(members, false)];
    }
    let mut sorted = edges;
    sorted.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut sets: Vec<Vec<usize>> = (0..k).map(|i| vec![i]).collect();
    let mut owner: Vec<usize> = (0..k).collect();
    for (a, b, _) in sorted {
        let (oa, ob) = (owner[idx(a)], owner[idx(b)]);
        if oa == ob {
            continue;
        }
        let conflict = sets[oa]
            .iter()
            .any(|&x| sets[ob].iter().any(|&y| cannot[x * k + y]));
        if conflict {
            continue;
        }
        let moved = std::mem::take(&mut sets[ob]);
        for &x in &moved {
            owner[x] = oa;
        }
        sets[oa].extend(moved);
    }
    sets.into_iter()
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut rows: Vec<u32> = s.into_iter().map(|i| members[i]).collect();
            rows.sort_unstable();
            (rows, true)
        })
        .collect()
}

/// Split edges into connected components over `members` (sorted).
type Comp = (Vec<u32>, Vec<(u32, u32, f64)>);

fn components(members: &[u32], edges: &[(u32, u32, f64)]) -> Vec<Comp> {
    let idx = |r: u32| members.binary_search(&r).unwrap_or(0) as u32;
    let mut d = Dsu::new(members.len());
    for e in edges {
        d.union(idx(e.0), idx(e.1));
    }
    let mut map: std::collections::HashMap<u32, usize> = Default::default();
    let mut out: Vec<Comp> = Vec::new();
    for (i, &m) in members.iter().enumerate() {
        let r = d.find(i as u32);
        let slot = *map.entry(r).or_insert_with(|| {
            out.push((Vec::new(), Vec::new()));
            out.len() - 1
        });
        out[slot].0.push(m);
    }
    for e in edges {
        let r = d.find(idx(e.0));
        out[map[&r]].1.push(*e);
    }
    out
}

/// Cluster `n` rows given accepted edges (a, b, prob). `score(a, b)` returns the
/// match probability of any pair (0 for guarded or cannot-link pairs).
pub fn cluster(
    n: usize,
    edges: &[(u32, u32, f64)],
    score: &(dyn Fn(u32, u32) -> f64 + Sync),
    g: &GuardCfg,
) -> (Vec<u32>, Vec<u32>) {
    let mut d = Dsu::new(n);
    for e in edges {
        d.union(e.0, e.1);
    }
    let roots: Vec<u32> = (0..n as u32).map(|i| d.find(i)).collect();
    let mut size = vec![0u32; n];
    for &r in &roots {
        size[r as usize] += 1;
    }
    // gather components of size >= 3 with their edges
    let mut slot = vec![u32::MAX; n];
    let mut comps: Vec<Comp> = Vec::new();
    for (i, &r) in roots.iter().enumerate() {
        if size[r as usize] >= 3 {
            if slot[r as usize] == u32::MAX {
                slot[r as usize] = comps.len() as u32;
                comps.push((Vec::new(), Vec::new()));
            }
            comps[slot[r as usize] as usize].0.push(i as u32);
        }
    }
    for e in edges {
        let r = roots[e.0 as usize];
        if slot[r as usize] != u32::MAX {
            comps[slot[r as usize] as usize].1.push(*e);
        }
    }
    let resolved: Vec<Vec<(Vec<u32>, bool)>> = comps
        .into_par_iter()
        .map(|(m, e)| resolve_component(m, e, score, g, 0))
        .collect();
    // assign labels: start from roots, then overwrite the resolved groups
    let mut label: Vec<u32> = roots;
    let mut flagged_rows: Vec<u32> = Vec::new();
    for groups in resolved {
        for (rows, flag) in groups {
            let l = rows[0];
            for &r in &rows {
                label[r as usize] = l;
            }
            if flag && rows.len() >= 2 {
                flagged_rows.push(l);
            }
        }
    }
    // dense ids in order of first appearance
    let mut dense = vec![u32::MAX; n];
    let mut next = 0u32;
    let mut out = vec![0u32; n];
    for i in 0..n {
        let l = label[i] as usize;
        if dense[l] == u32::MAX {
            dense[l] = next;
            next += 1;
        }
        out[i] = dense[l];
    }
    let mut flagged: Vec<u32> = flagged_rows
        .into_iter()
        .map(|l| dense[l as usize])
        .collect();
    flagged.sort_unstable();
    flagged.dedup();
    (out, flagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_components() {
        let edges = vec![(0, 1, 0.99), (1, 2, 0.99), (3, 4, 0.99)];
        let g = GuardCfg {
            split_below: 0.01,
            max_check: 64,
        };
        let (c, f) = cluster(6, &edges, &|_, _| 0.9, &g);
        assert_eq!(c, vec![0, 0, 0, 1, 1, 2]);
        assert!(f.is_empty());
    }

    #[test]
    fn chaining_guard_splits_bridge() {
        // 0-1 strong, 2-3 strong, 1-2 weak bridge; 0 and 3 clearly different people
        let edges = vec![(0, 1, 0.999), (2, 3, 0.999), (1, 2, 0.95)];
        let score = |a: u32, b: u32| {
            let (a, b) = (a.min(b), a.max(b));
            match (a, b) {
                (0, 1) | (2, 3) => 0.999,
                (1, 2) => 0.95,
                _ => 0.0,
            }
        };
        let g = GuardCfg {
            split_below: 0.01,
            max_check: 64,
        };
        let (c, f) = cluster(4, &edges, &score, &g);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[2], c[3]);
        assert_ne!(c[0], c[2]);
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn large_component_raises_threshold() {
        // a chain of 100 rows joined by mediocre edges, with strong pairs inside
        let mut edges = Vec::new();
        for i in 0..50u32 {
            edges.push((2 * i, 2 * i + 1, 0.9999999));
            if i > 0 {
                edges.push((2 * i - 1, 2 * i, 0.95));
            }
        }
        let g = GuardCfg {
            split_below: 0.01,
            max_check: 10,
        };
        let (c, f) = cluster(100, &edges, &|_, _| 0.5, &g);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[1], c[2]);
        assert_eq!(f.len(), 50);
    }
}
