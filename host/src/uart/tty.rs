//! A serial port (`/dev/ttyUSB0`, `/dev/ttyACM0`): raw 8N1 at a standard
//! rate, no flow control, reads with a timeout through `poll`.

use super::SerialLink;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::time::Duration;

/// An open serial port.
pub struct TtyLink {
    file: File,
    path: String,
    baud: u32,
}

// The `libc` crate binds these two to their `GLIBC_2.2.5` symbol versions,
// which a static glibc (the VM test's `+crt-static` guest binary) does not
// have; plain declarations link the default version, static or dynamic.
extern "C" {
    fn cfsetispeed(t: *mut libc::termios, speed: libc::speed_t) -> libc::c_int;
    fn cfsetospeed(t: *mut libc::termios, speed: libc::speed_t) -> libc::c_int;
}

fn speed(baud: u32) -> Option<libc::speed_t> {
    Some(match baud {
        9600 => libc::B9600,
        19200 => libc::B19200,
        38400 => libc::B38400,
        57600 => libc::B57600,
        115200 => libc::B115200,
        230400 => libc::B230400,
        460800 => libc::B460800,
        500000 => libc::B500000,
        921600 => libc::B921600,
        1000000 => libc::B1000000,
        2000000 => libc::B2000000,
        3000000 => libc::B3000000,
        _ => return None,
    })
}

impl TtyLink {
    /// Opens `path` at `baud` bits per second (the rate the bitstream was built for).
    pub fn open(path: &str, baud: u32) -> Result<Self, String> {
        let sp = speed(baud).ok_or(format!(
            "{baud} bit/s is not a standard serial rate (115200, 230400, 460800, 500000, 921600, 1000000, 2000000, 3000000)"
        ))?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY | libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied => format!(
                    "cannot open {path}: {e} (add yourself to the `dialout` group, or run as root)"
                ),
                _ => format!("cannot open {path}: {e}"),
            })?;
        let fd = file.as_raw_fd();
        // SAFETY: a zeroed termios is filled by tcgetattr; fd is open.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(fd, &mut t) != 0 {
                return Err(format!(
                    "{path} is not a serial port: {}",
                    std::io::Error::last_os_error()
                ));
            }
            libc::cfmakeraw(&mut t);
            t.c_cflag |= libc::CLOCAL | libc::CREAD;
            t.c_cflag &= !(libc::CSTOPB | libc::PARENB | libc::CRTSCTS);
            t.c_cc[libc::VMIN] = 0;
            t.c_cc[libc::VTIME] = 0;
            cfsetispeed(&mut t, sp);
            cfsetospeed(&mut t, sp);
            if libc::tcsetattr(fd, libc::TCSANOW, &t) != 0 {
                return Err(format!(
                    "cannot set {path} to {baud} bit/s: {}",
                    std::io::Error::last_os_error()
                ));
            }
            libc::tcflush(fd, libc::TCIOFLUSH);
        }
        Ok(Self {
            file,
            path: path.into(),
            baud,
        })
    }

    fn wait(&self, events: libc::c_short, timeout: Duration) -> std::io::Result<bool> {
        let mut p = libc::pollfd {
            fd: self.file.as_raw_fd(),
            events,
            revents: 0,
        };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut p, 1, ms) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            return if e.kind() == std::io::ErrorKind::Interrupted {
                Ok(false)
            } else {
                Err(e)
            };
        }
        Ok(n > 0)
    }
}

impl SerialLink for TtyLink {
    fn send(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            match self.file.write(bytes) {
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    self.wait(libc::POLLOUT, Duration::from_secs(1))?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn recv(&mut self, timeout: Duration) -> std::io::Result<Option<u8>> {
        let mut b = [0u8; 1];
        loop {
            match self.file.read(&mut b) {
                Ok(1) => return Ok(Some(b[0])),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
            if !self.wait(libc::POLLIN, timeout)? {
                return Ok(None);
            }
        }
    }

    fn describe(&self) -> String {
        format!("{} at {} bit/s", self.path, self.baud)
    }
}
