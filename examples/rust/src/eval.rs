//! Evaluates a syntax tree, with checked arithmetic.

use crate::parser::{Expr, Func};
use cprof::profile;

#[derive(Debug, PartialEq)]
pub enum EvalError {
    DivByZero,
    Overflow,
}

/// Recursive: one region, counted once in inclusive figures.
#[profile]
pub fn eval(e: &Expr, x: i64) -> Result<i64, EvalError> {
    let v = match e {
        Expr::Num(n) => Some(*n),
        Expr::Var => Some(x),
        Expr::Neg(a) => eval(a, x)?.checked_neg(),
        Expr::Bin(op, a, b) => {
            let (a, b) = (eval(a, x)?, eval(b, x)?);
            match op {
                b'+' => a.checked_add(b),
                b'-' => a.checked_sub(b),
                b'*' => a.checked_mul(b),
                _ if b == 0 => return Err(EvalError::DivByZero),
                b'/' => a.checked_div(b),
                _ => a.checked_rem(b),
            }
        }
        Expr::Call(f, a, b) => {
            let (a, b) = (eval(a, x)?, eval(b, x)?);
            match f {
                Func::Max => Some(a.max(b)),
                Func::Min => Some(a.min(b)),
                Func::Pow => u32::try_from(b).ok().and_then(|b| a.checked_pow(b)),
            }
        }
    };
    v.ok_or(EvalError::Overflow)
}
