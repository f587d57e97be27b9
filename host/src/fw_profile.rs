//! The firmware profile: card cycles counted against the soft core's
//! program counter (a simulated card counts every cycle), summed per
//! function of the firmware's ELF. It says where the firmware's time per
//! command goes; `llvm-objdump -d -l` on the ELF maps the hottest
//! addresses to source lines (the firmware keeps its line tables).

use object::{Object, ObjectSymbol, SymbolKind};
use std::fmt::Write;

/// Cycles per firmware address: entry `i` counts the cycles the core spent
/// on the instruction at address `2 i` (RV32C instructions are 2-aligned).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirmwareProfile {
    /// Cycles per 2-byte slot of the firmware RAM.
    pub cycles: Vec<u64>,
}

/// Cycles spent in one function of the firmware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionCycles {
    /// Demangled name (`?` for addresses outside every function symbol).
    pub name: String,
    /// Start address.
    pub addr: u64,
    /// Cycles.
    pub cycles: u64,
}

impl FirmwareProfile {
    /// All cycles counted.
    pub fn total(&self) -> u64 {
        self.cycles.iter().sum()
    }

    /// The `n` addresses with the most cycles: `(address, cycles)`, most first.
    pub fn hottest(&self, n: usize) -> Vec<(u64, u64)> {
        let mut hot: Vec<(u64, u64)> = self.counted().collect();
        hot.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hot.truncate(n);
        hot
    }

    /// Cycles per function symbol of `elf`, most first.
    pub fn by_function(&self, elf: &[u8]) -> Result<Vec<FunctionCycles>, String> {
        Ok(self.sum_by_function(&functions(elf)?))
    }

    fn sum_by_function(&self, functions: &[(String, u64, u64)]) -> Vec<FunctionCycles> {
        let mut out: Vec<FunctionCycles> = functions
            .iter()
            .map(|(name, addr, _)| FunctionCycles {
                name: name.clone(),
                addr: *addr,
                cycles: 0,
            })
            .collect();
        let mut other = 0;
        for (addr, c) in self.counted() {
            match function_at(functions, addr) {
                Some(i) => out[i].cycles += c,
                None => other += c,
            }
        }
        if other > 0 {
            out.push(FunctionCycles {
                name: "?".into(),
                addr: 0,
                cycles: other,
            });
        }
        out.retain(|f| f.cycles > 0);
        out.sort_by(|a, b| b.cycles.cmp(&a.cycles).then(a.addr.cmp(&b.addr)));
        out
    }

    /// A text report: cycles per function, the hottest addresses, then
    /// every counted address (`address cycles`, for annotating a
    /// disassembly).
    pub fn report(&self, elf: &[u8]) -> Result<String, String> {
        let total = self.total();
        let share = |c: u64| 100.0 * c as f64 / total.max(1) as f64;
        let functions = functions(elf)?;
        let mut s = String::new();
        let _ = writeln!(s, "firmware profile: {total} card cycles on the soft core");
        let _ = writeln!(s, "\n{:>10} {:>6}  function", "cycles", "%");
        for f in self.sum_by_function(&functions) {
            let _ = writeln!(s, "{:>10} {:>6.1}  {}", f.cycles, share(f.cycles), f.name);
        }
        let _ = writeln!(s, "\n{:>10} {:>6}  address  function+offset", "cycles", "%");
        for (addr, c) in self.hottest(40) {
            let at = match function_at(&functions, addr) {
                Some(i) => format!("{}+{:#x}", functions[i].0, addr - functions[i].1),
                None => "?".into(),
            };
            let _ = writeln!(s, "{c:>10} {:>6.1}  {addr:#07x}  {at}", share(c));
        }
        let _ = writeln!(s, "\nevery address: `address cycles`");
        for (addr, c) in self.counted() {
            let _ = writeln!(s, "{addr:#07x} {c}");
        }
        Ok(s)
    }

    fn counted(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.cycles
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (2 * i as u64, c))
    }
}

/// The ELF's function symbols: `(demangled name, address, size)`, by address.
fn functions(elf: &[u8]) -> Result<Vec<(String, u64, u64)>, String> {
    let file = object::File::parse(elf).map_err(|e| e.to_string())?;
    let mut f: Vec<(String, u64, u64)> = file
        .symbols()
        .filter(|s| s.kind() == SymbolKind::Text && s.size() > 0)
        .filter_map(|s| {
            let name = s.name().ok()?;
            Some((
                format!("{:#}", rustc_demangle::demangle(name)),
                s.address(),
                s.size(),
            ))
        })
        .collect();
    f.sort_by_key(|(_, addr, _)| *addr);
    Ok(f)
}

/// Index of the function holding `addr`.
fn function_at(functions: &[(String, u64, u64)], addr: u64) -> Option<usize> {
    let i = functions.partition_point(|(_, start, _)| *start <= addr);
    let i = i.checked_sub(1)?;
    let (_, start, size) = &functions[i];
    (addr < start + size).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firmware::builtin_image;

    /// Cycles put on the entry point and on `main` land in those functions,
    /// and every counted cycle is in the report's total.
    #[test]
    fn cycles_are_summed_per_function_of_the_firmware() {
        let elf = builtin_image();
        let funcs = functions(elf).unwrap();
        let main = funcs.iter().find(|f| f.0 == "main").expect("a main symbol");
        let mut p = FirmwareProfile {
            cycles: vec![0; 0x8000],
        };
        p.cycles[(main.1 / 2) as usize] = 70;
        p.cycles[(main.1 / 2) as usize + 1] = 30;
        p.cycles[0x7fff] = 5; // past the image: no function
        let by = p.by_function(elf).unwrap();
        assert_eq!(by[0].name, "main");
        assert_eq!(by[0].cycles, 100);
        assert_eq!(by.last().unwrap().name, "?");
        assert_eq!(by.iter().map(|f| f.cycles).sum::<u64>(), p.total());
        assert_eq!(p.hottest(1), vec![(main.1, 70)]);
        let report = p.report(elf).unwrap();
        assert!(report.starts_with("firmware profile: 105 card cycles"));
        assert!(report.contains(&format!("{:#07x} 70", main.1)));
    }
}
