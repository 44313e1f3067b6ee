//! regexbench: regex-lite (vendored in regex-lite/, its PikeVM) finding
//! every match of a few patterns in a generated text, for
//! `make bench-throttle`. With feature `inner` regex-lite's hot PikeVM
//! helpers are annotated too; without it only the outer region,
//! `string::Matches::next` (one call a match), is: the oracle its
//! inclusive time is compared with.
//! usage: regexbench KB ROUNDS   (prints matches per pattern and a checksum)
use regex_lite::Regex;

const PATTERNS: [&str; 4] = [
    r"\w+@\w+\.com",
    r"\d{4}-\d{2}-\d{2}",
    r"Alice|Bob|Carol|Dave|Mallory|Trent",
    r"[A-Z][a-z]+",
];

/// xorshift64 (Marsaglia): the same text on every run, no rand crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// About `kb` KB of prose-like ASCII: words, some capitalized, names,
/// e-mail addresses, dates and numbers, in lines of 60-100 bytes.
fn text(kb: usize) -> String {
    const WORDS: [&str; 16] = [
        "the", "of", "and", "profile", "region", "call", "sample", "timer", "thread", "stack",
        "counter", "report", "a", "is", "in", "to",
    ];
    const NAMES: [&str; 8] = ["Alice", "Bob", "Carol", "Dave", "Mallory", "Trent", "Peggy", "Victor"];
    const HOSTS: [&str; 4] = ["example", "mail", "corp", "uni"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut s = String::with_capacity(kb * 1024 + 128);
    let mut line = 0;
    while s.len() < kb * 1024 {
        let before = s.len();
        match rng.below(20) {
            0 => {
                let name = NAMES[rng.below(NAMES.len())].to_ascii_lowercase();
                s.push_str(&name);
                s.push('@');
                s.push_str(HOSTS[rng.below(HOSTS.len())]);
                s.push_str(if rng.below(3) == 0 { ".org" } else { ".com" });
            }
            1 => {
                let (y, m, d) = (1990 + rng.below(40), 1 + rng.below(12), 1 + rng.below(28));
                s.push_str(&format!("{y}-{m:02}-{d:02}"));
            }
            2 | 3 => s.push_str(NAMES[rng.below(NAMES.len())]),
            4 => s.push_str(&rng.below(100_000).to_string()),
            5 => {
                let w = WORDS[rng.below(WORDS.len())];
                s.push_str(&w[..1].to_ascii_uppercase());
                s.push_str(&w[1..]);
            }
            _ => s.push_str(WORDS[rng.below(WORDS.len())]),
        }
        line += s.len() - before;
        if line > 60 + rng.below(40) {
            s.push_str(".\n");
            line = 0;
        } else {
            s.push(if rng.below(8) == 0 { ',' } else { ' ' });
            if s.ends_with(',') {
                s.push(' ');
            }
        }
    }
    s
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("a number")).collect();
    let (kb, rounds) = (args.first().copied().unwrap_or(1024), args.get(1).copied().unwrap_or(1));
    let hay = text(kb);
    let res: Vec<Regex> = PATTERNS.iter().map(|p| Regex::new(p).expect("a valid pattern")).collect();
    let mut sum = 0u64;
    let mut counts = [0usize; PATTERNS.len()];
    for _ in 0..rounds {
        for (re, n) in res.iter().zip(counts.iter_mut()) {
            for m in re.find_iter(&hay) {
                *n += 1;
                sum = sum.wrapping_mul(31).wrapping_add((m.start() as u64) << 8 ^ m.len() as u64);
            }
        }
    }
    let counts: Vec<String> = counts.iter().map(|c| c.to_string()).collect();
    println!("{} bytes, matches {}, checksum {sum:016x}", hay.len(), counts.join(" "));
}
