//! Deterministic input: random arithmetic expressions, one per line.

use cprof::profile;

/// A small LCG: the same input on every run and machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// `count` expressions, newline-separated.
#[profile]
pub fn generate(count: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(count * 48);
    for _ in 0..count {
        expr(&mut rng, 4, &mut out);
        out.push('\n');
    }
    out
}

fn expr(rng: &mut Rng, depth: u32, out: &mut String) {
    if depth == 0 || rng.below(4) == 0 {
        atom(rng, out);
        return;
    }
    match rng.below(6) {
        0 => {
            out.push('(');
            expr(rng, depth - 1, out);
            out.push(')');
        }
        1 => {
            let f = ["max", "min", "pow"][rng.below(3) as usize];
            out.push_str(f);
            out.push('(');
            expr(rng, depth - 1, out);
            out.push_str(", ");
            if f == "pow" {
                out.push_str(&rng.below(4).to_string());
            } else {
                expr(rng, depth - 1, out);
            }
            out.push(')');
        }
        _ => {
            expr(rng, depth - 1, out);
            out.push_str([" + ", " - ", " * ", " / ", " % "][rng.below(5) as usize]);
            expr(rng, depth - 1, out);
        }
    }
}

fn atom(rng: &mut Rng, out: &mut String) {
    match rng.below(8) {
        0 => {
            out.push('-');
            out.push_str(&rng.below(1000).to_string());
        }
        1 => out.push('x'),
        _ => out.push_str(&rng.below(1000).to_string()),
    }
}
