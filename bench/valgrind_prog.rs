// valgrind_prog.rs: the small program rustc compiles under callgrind for the
// valgrind bench (bench/valgrind.sh): a real callgrind file of a big program.
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
enum Token { Num(f64), Op(char), LParen, RParen }

fn lex(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || d == '.' { n.push(d); chars.next(); } else { break; }
            }
            out.push(Token::Num(n.parse().unwrap()));
        } else if c == '(' { out.push(Token::LParen); chars.next(); }
        else if c == ')' { out.push(Token::RParen); chars.next(); }
        else if "+-*/".contains(c) { out.push(Token::Op(c)); chars.next(); }
        else { chars.next(); }
    }
    out
}

fn main() {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in ["1 + 2 * (3 - 4)", "5 / 6 + 7"] {
        for t in lex(line) {
            *counts.entry(format!("{:?}", t)).or_default() += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort();
    println!("{:?}", v);
}
