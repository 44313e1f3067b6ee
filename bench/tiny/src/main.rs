//! tiny: many tiny nested calls (a lexer over generated source text), for
//! `make bench-tiny`. With feature `inner` every function is annotated;
//! without it only the outer region, `lex_line`, is: the oracle its
//! inclusive time is compared with.
//! usage: tiny LINES ROUNDS
use cprof::profile;

#[cfg_attr(feature = "inner", profile)]
fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

#[cfg_attr(feature = "inner", profile)]
fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg_attr(feature = "inner", profile)]
fn is_digit(c: u8) -> bool {
    c.is_ascii_digit()
}

#[cfg_attr(feature = "inner", profile)]
fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

#[cfg_attr(feature = "inner", profile)]
fn scan_while(s: &[u8], mut i: usize, f: fn(u8) -> bool) -> usize {
    while i < s.len() && f(s[i]) {
        i += 1;
    }
    i
}

#[cfg_attr(feature = "inner", profile)]
fn keyword(word: &[u8]) -> bool {
    matches!(word, b"fn" | b"let" | b"if" | b"else" | b"while" | b"return")
}

/// Tokens of one line, weighted: keywords 3, identifiers 2, others 1.
#[profile]
fn lex_line(s: &[u8]) -> u64 {
    let (mut i, mut score) = (0, 0u64);
    while i < s.len() {
        let c = s[i];
        if is_space(c) {
            i = scan_while(s, i, is_space);
        } else if is_ident_start(c) {
            let end = scan_while(s, i, is_ident_char);
            score += if keyword(&s[i..end]) { 3 } else { 2 };
            i = end;
        } else if is_digit(c) {
            i = scan_while(s, i, is_digit);
            score += 1;
        } else {
            i += 1;
            score += 1;
        }
    }
    score
}

fn source(lines: usize) -> Vec<Vec<u8>> {
    const WORDS: [&str; 12] = ["fn", "let", "x1", "total", "+=", "(", ")", "42", "if", "y_2", "return", "{"];
    let mut seed = 12345u64;
    (0..lines)
        .map(|_| {
            let mut line = Vec::new();
            for _ in 0..12 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                line.extend_from_slice(WORDS[(seed >> 33) as usize % WORDS.len()].as_bytes());
                line.push(b' ');
            }
            line
        })
        .collect()
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("a number")).collect();
    let (lines, rounds) = (args.first().copied().unwrap_or(100_000), args.get(1).copied().unwrap_or(3));
    let text = source(lines);
    let mut total = 0u64;
    for _ in 0..rounds {
        for line in &text {
            total += lex_line(line);
        }
    }
    println!("{total}");
}
