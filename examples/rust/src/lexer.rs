//! Text to tokens.

use cprof::profile;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tok<'a> {
    Num(i64),
    Ident(&'a str),
    Op(u8),
    LParen,
    RParen,
    Comma,
}

#[derive(Debug)]
pub struct LexError {
    pub col: usize,
    pub found: char,
}

impl std::fmt::Display for LexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: unexpected {:?}", self.col, self.found)
    }
}

pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

#[profile] // Lexer::new, Lexer::tokenize
impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    pub fn tokenize(&mut self, out: &mut Vec<Tok<'a>>) -> Result<(), LexError> {
        out.clear();
        let b = self.src.as_bytes();
        while self.pos < b.len() {
            let c = b[self.pos];
            let start = self.pos;
            self.pos += 1;
            let tok = match c {
                b' ' | b'\t' => continue,
                b'0'..=b'9' => {
                    let mut n = (c - b'0') as i64;
                    while self.pos < b.len() && b[self.pos].is_ascii_digit() {
                        n = n * 10 + (b[self.pos] - b'0') as i64;
                        self.pos += 1;
                    }
                    Tok::Num(n)
                }
                b'a'..=b'z' => {
                    while self.pos < b.len() && b[self.pos].is_ascii_alphanumeric() {
                        self.pos += 1;
                    }
                    Tok::Ident(&self.src[start..self.pos])
                }
                b'+' | b'-' | b'*' | b'/' | b'%' => Tok::Op(c),
                b'(' => Tok::LParen,
                b')' => Tok::RParen,
                b',' => Tok::Comma,
                _ => return Err(LexError { col: start + 1, found: self.src[start..].chars().next().unwrap_or('?') }),
            };
            out.push(tok);
        }
        Ok(())
    }
}
