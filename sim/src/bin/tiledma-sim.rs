//! `tiledma-sim`: the simulated card as a process of its own.
//!
//! `tiledma-sim serve --socket PATH` powers on a simulated card and serves
//! it as a vfio-user PCI device on a Unix socket, for QEMU:
//!
//! ```text
//! qemu-system-x86_64 -machine q35,memory-backend=mem \
//!   -object memory-backend-memfd,id=mem,size=1G,share=on \
//!   -device '{"driver":"vfio-user-pci","socket":{"type":"unix","path":"PATH"}}'
//! ```
//!
//! The guest then sees a PCI device (vendor 10ee, device 7464) that its
//! vfio-pci driver can take, and the host driver drives it as a board.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;
use tiledma_sim::card::{CardConfig, SimCard};

#[derive(Parser)]
#[command(
    name = "tiledma-sim",
    about = "The simulated tiledma card as a process",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the card as a vfio-user PCI device (one client, until it hangs up).
    Serve {
        /// Unix socket to listen on (must not exist).
        #[arg(long)]
        socket: PathBuf,
        /// Dump a VCD waveform of the whole card here.
        #[arg(long)]
        vcd: Option<PathBuf>,
    },
}

fn main() {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { socket, vcd } => {
            let card = match SimCard::start(CardConfig {
                vcd,
                ..Default::default()
            }) {
                Ok(c) => Arc::new(c),
                Err(e) => {
                    eprintln!("tiledma-sim: cannot start the card: {e}");
                    std::process::exit(1);
                }
            };
            eprintln!("tiledma-sim: serving on {}", socket.display());
            if let Err(e) = tiledma_sim::vfio_user_server::serve(card.clone(), &socket) {
                eprintln!("tiledma-sim: {e}");
                std::process::exit(1);
            }
            eprintln!(
                "tiledma-sim: client hung up after {} card cycles",
                card.cycles()
            );
        }
    }
}
