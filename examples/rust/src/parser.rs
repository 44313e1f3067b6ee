//! Tokens to a syntax tree, by precedence climbing.

use crate::lexer::Tok;
use cprof::profile;

#[derive(Debug)]
pub enum Expr {
    Num(i64),
    Var,
    Neg(Box<Expr>),
    Bin(u8, Box<Expr>, Box<Expr>),
    Call(Func, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy)]
pub enum Func {
    Max,
    Min,
    Pow,
}

#[derive(Debug)]
pub struct ParseError {
    pub at: usize,
    pub expected: &'static str,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "token {}: expected {}", self.at + 1, self.expected)
    }
}

pub struct Parser<'t, 'a> {
    toks: &'t [Tok<'a>],
    pos: usize,
}

impl<'t, 'a> Parser<'t, 'a> {
    pub fn new(toks: &'t [Tok<'a>]) -> Self {
        Parser { toks, pos: 0 }
    }

    /// One whole expression: `Parser::parse`.
    #[profile]
    pub fn parse(&mut self) -> Result<Expr, ParseError> {
        let e = self.binary(0)?;
        if self.pos != self.toks.len() {
            return Err(self.error("an operator or the end of the line"));
        }
        Ok(e)
    }

    fn error(&self, expected: &'static str) -> ParseError {
        ParseError { at: self.pos, expected }
    }

    fn next(&mut self) -> Option<Tok<'a>> {
        let t = self.toks.get(self.pos).copied();
        self.pos += 1;
        t
    }

    fn expect(&mut self, t: Tok<'a>, what: &'static str) -> Result<(), ParseError> {
        if self.next() == Some(t) {
            Ok(())
        } else {
            self.pos -= 1;
            Err(self.error(what))
        }
    }

    fn binary(&mut self, min_prec: u8) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        while let Some(Tok::Op(op)) = self.toks.get(self.pos).copied() {
            let prec = if op == b'+' || op == b'-' { 1 } else { 2 };
            if prec <= min_prec {
                break;
            }
            self.pos += 1;
            let rhs = self.binary(prec)?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        match self.next() {
            Some(Tok::Op(b'-')) => Ok(Expr::Neg(Box::new(self.unary()?))),
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::Ident("x")) => Ok(Expr::Var),
            Some(Tok::Ident(name)) => {
                let f = match name {
                    "max" => Func::Max,
                    "min" => Func::Min,
                    "pow" => Func::Pow,
                    _ => {
                        self.pos -= 1;
                        return Err(self.error("max, min, pow or x"));
                    }
                };
                self.expect(Tok::LParen, "'('")?;
                let a = self.binary(0)?;
                self.expect(Tok::Comma, "','")?;
                let b = self.binary(0)?;
                self.expect(Tok::RParen, "')'")?;
                Ok(Expr::Call(f, Box::new(a), Box::new(b)))
            }
            Some(Tok::LParen) => {
                let e = self.binary(0)?;
                self.expect(Tok::RParen, "')'")?;
                Ok(e)
            }
            _ => {
                self.pos -= 1;
                Err(self.error("a number, x, a function or '('"))
            }
        }
    }
}
