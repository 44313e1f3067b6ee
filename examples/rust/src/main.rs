//! exprcalc: generates arithmetic expressions over `x`, then tokenizes,
//! parses and evaluates every line on a few threads, and prints a summary.
//! The example crate of cargo-profiler: its hot functions carry #[profile].
//!
//! usage: exprcalc [LINES [THREADS [X]]]   (default 400000 2 7)

mod eval;
mod gen;
mod lexer;
mod parser;

use cprof::profile;
use eval::{eval, EvalError};
use lexer::Lexer;
use parser::Parser;

#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Summary {
    ok: u64,
    div_by_zero: u64,
    overflow: u64,
    syntax: u64,
    checksum: i64,
}

impl Summary {
    fn add(&mut self, o: Summary) {
        self.ok += o.ok;
        self.div_by_zero += o.div_by_zero;
        self.overflow += o.overflow;
        self.syntax += o.syntax;
        self.checksum = self.checksum.wrapping_add(o.checksum);
    }
}

/// Every line of one chunk, on the calling thread.
#[profile]
fn process(lines: &[&str], x: i64) -> Summary {
    let mut s = Summary::default();
    let mut toks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let parsed = match Lexer::new(line).tokenize(&mut toks) {
            Ok(()) => Parser::new(&toks).parse().map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let tree = match parsed {
            Ok(tree) => tree,
            Err(e) => {
                if s.syntax == 0 {
                    eprintln!("exprcalc: chunk line {}: {e}", i + 1);
                }
                s.syntax += 1;
                continue;
            }
        };
        match eval(&tree, x) {
            Ok(v) => {
                s.ok += 1;
                s.checksum = s.checksum.wrapping_mul(31).wrapping_add(v);
            }
            Err(EvalError::DivByZero) => s.div_by_zero += 1,
            Err(EvalError::Overflow) => s.overflow += 1,
        }
    }
    s
}

/// Splits the input into one chunk per thread.
#[profile]
fn run(text: &str, threads: usize, x: i64) -> Summary {
    let lines: Vec<&str> = text.lines().collect();
    let per = lines.len().div_ceil(threads.max(1)).max(1);
    let mut total = Summary::default();
    std::thread::scope(|s| {
        let workers: Vec<_> = lines.chunks(per).map(|c| s.spawn(move || process(c, x))).collect();
        for w in workers {
            total.add(w.join().expect("worker thread"));
        }
    });
    total
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T, what: &str) -> T {
    match args.get(i) {
        None => default,
        Some(a) => a.parse().unwrap_or_else(|_| {
            eprintln!("exprcalc: argument {i} ({a:?}): expected {what}");
            eprintln!("usage: exprcalc [LINES [THREADS [X]]]");
            std::process::exit(2);
        }),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: usize = arg(&args, 1, 400_000, "a number of lines");
    let threads: usize = arg(&args, 2, 2, "a number of threads");
    let x: i64 = arg(&args, 3, 7, "an integer value for x");
    let text = gen::generate(count, 42);
    let s = run(&text, threads, x);
    println!(
        "{count} lines on {threads} threads: {} evaluated, {} divisions by zero, {} overflows, {} syntax errors; checksum {}",
        s.ok, s.div_by_zero, s.overflow, s.syntax, s.checksum
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Result<i64, String> {
        let mut toks = Vec::new();
        Lexer::new(line).tokenize(&mut toks).map_err(|e| format!("lex {}:{}", e.col, e.found))?;
        let tree = Parser::new(&toks).parse().map_err(|e| format!("parse {}: {}", e.at, e.expected))?;
        eval(&tree, 7).map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn evaluates() {
        assert_eq!(one("1 + 2 * 3"), Ok(7));
        assert_eq!(one("(1 + 2) * 3 - -x"), Ok(16));
        assert_eq!(one("max(2, min(9, x)) % 4"), Ok(3));
        assert_eq!(one("pow(x, 3) / 2"), Ok(171));
        assert_eq!(one("10 - 4 - 3"), Ok(3));
        assert_eq!(one("1 / (x - 7)"), Err("DivByZero".into()));
        assert_eq!(one("pow(999, 9)"), Err("Overflow".into()));
        assert_eq!(one("1 +"), Err("parse 2: a number, x, a function or '('".into()));
        assert_eq!(one("2 $ 3"), Err("lex 3:$".into()));
    }

    #[test]
    fn threads_do_not_change_the_result() {
        let text = gen::generate(2000, 1);
        let one = run(&text, 1, 3);
        assert_eq!(one.ok + one.div_by_zero + one.overflow, 2000);
        assert_eq!(one.syntax, 0);
        let mut two = Summary::default();
        let lines: Vec<&str> = text.lines().collect();
        two.add(process(&lines, 3));
        assert_eq!((one.ok, one.div_by_zero, one.overflow), (two.ok, two.div_by_zero, two.overflow));
    }
}
