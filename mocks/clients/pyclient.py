#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pyclient - an attestation client in Python 3, standard library only.

Written the way a third party writes one: from the kernel's uapi headers and ABI
documents (include/uapi/linux/tdx-guest.h, include/uapi/linux/sev-guest.h,
Documentation/virt/coco/sev-guest.rst, Documentation/ABI/testing/configfs-tsm-report,
Documentation/ABI/testing/sysfs-devices-virtual-misc-tdx_guest), with the ioctl numbers
computed from the _IOC macros of include/uapi/asm-generic/ioctl.h. It knows nothing of
any mock: it opens the real paths. scripts/check.d/35-clients.sh runs it inside mockenv.

  pyclient.py tdreport HEX64        TDX_CMD_GET_REPORT0 on /dev/tdx_guest
  pyclient.py rtmr IDX HEX48        read measurements/rtmrIDX:sha384, extend it with the
                                    48 bytes, read it again, then a TDREPORT
  pyclient.py snp-report HEX64      SNP_GET_REPORT on /dev/sev-guest
  pyclient.py snp-ext HEX64         SNP_GET_EXT_REPORT with the certificate-size protocol
  pyclient.py configfs HEX64 NAME   configfs-tsm: mkdir, generation, inblob, outblob
                                    (and auxblob when present), generation, rmdir

Output: key=value lines; byte strings are lowercase hex, errors are errno names (the
first failing step is printed as <step>=<ERRNO> and the command stops there).
Exit status: 0 done, 1 a step failed (printed), 2 usage.
"""
import ctypes
import errno
import fcntl
import os
import sys

# ---------------------------------------------------------------- asm-generic/ioctl.h
_IOC_NRBITS, _IOC_TYPEBITS, _IOC_SIZEBITS, _IOC_DIRBITS = 8, 8, 14, 2
_IOC_NRSHIFT = 0
_IOC_TYPESHIFT = _IOC_NRSHIFT + _IOC_NRBITS
_IOC_SIZESHIFT = _IOC_TYPESHIFT + _IOC_TYPEBITS
_IOC_DIRSHIFT = _IOC_SIZESHIFT + _IOC_SIZEBITS
_IOC_NONE, _IOC_WRITE, _IOC_READ = 0, 1, 2


def _IOC(direction, typ, nr, size):
    assert 0 <= size < (1 << _IOC_SIZEBITS)
    return ((direction << _IOC_DIRSHIFT) | (ord(typ) << _IOC_TYPESHIFT) |
            (nr << _IOC_NRSHIFT) | (size << _IOC_SIZESHIFT))


def _IOWR(typ, nr, struct_type):
    return _IOC(_IOC_READ | _IOC_WRITE, typ, nr, ctypes.sizeof(struct_type))


# ---------------------------------------------------------------- linux/tdx-guest.h
TDX_REPORTDATA_LEN = 64
TDX_REPORT_LEN = 1024


class tdx_report_req(ctypes.Structure):
    _fields_ = [("reportdata", ctypes.c_uint8 * TDX_REPORTDATA_LEN),
                ("tdreport", ctypes.c_uint8 * TDX_REPORT_LEN)]


TDX_CMD_GET_REPORT0 = _IOWR('T', 1, tdx_report_req)
# TDREPORT_STRUCT: REPORTMACSTRUCT (256 bytes, REPORTDATA at 128), TEE_TCB_INFO, TDINFO at
# 512 (ATTRIBUTES, XFAM, MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG, RTMR0..3, 48 bytes each)
TDREPORT_REPORTDATA = 128
TDINFO_RTMR0 = 512 + 8 + 8 + 4 * 48

# ---------------------------------------------------------------- linux/sev-guest.h


class snp_report_req(ctypes.Structure):
    _fields_ = [("user_data", ctypes.c_uint8 * 64),
                ("vmpl", ctypes.c_uint32),
                ("rsvd", ctypes.c_uint8 * 28)]


class snp_report_resp(ctypes.Structure):
    _fields_ = [("data", ctypes.c_uint8 * 4000)]


class snp_ext_report_req(ctypes.Structure):
    _fields_ = [("data", snp_report_req),
                ("certs_address", ctypes.c_uint64),
                ("certs_len", ctypes.c_uint32)]


class _snp_err(ctypes.Structure):
    _fields_ = [("fw_error", ctypes.c_uint32), ("vmm_error", ctypes.c_uint32)]


class _snp_exitinfo(ctypes.Union):
    _anonymous_ = ("e",)
    _fields_ = [("exitinfo2", ctypes.c_uint64), ("e", _snp_err)]


class snp_guest_request_ioctl(ctypes.Structure):
    _anonymous_ = ("u",)
    _fields_ = [("msg_version", ctypes.c_uint8),
                ("req_data", ctypes.c_uint64),
                ("resp_data", ctypes.c_uint64),
                ("u", _snp_exitinfo)]


SNP_GET_REPORT = _IOWR('S', 0x0, snp_guest_request_ioctl)
SNP_GET_EXT_REPORT = _IOWR('S', 0x2, snp_guest_request_ioctl)
SNP_GUEST_VMM_ERR_INVALID_LEN = 1
# MSG_REPORT_RSP (SEV-SNP firmware ABI, MSG_REPORT_RSP): status at 0, report_size at 4,
# ATTESTATION_REPORT at 0x20; in the report, REPORT_DATA at 0x50
MSG_REPORT_RSP_REPORT = 0x20
SNP_REPORT_DATA = 0x50

TSM_REPORT = "/sys/kernel/config/tsm/report"
TDX_MEASUREMENTS = "/sys/devices/virtual/misc/tdx_guest/measurements"


class Step(Exception):
    """a step failed: printed as step=ERRNO"""

    def __init__(self, step, err):
        super().__init__(step)
        self.step, self.err = step, err


def ename(e):
    return errno.errorcode.get(e, str(e))


def out(key, value):
    if isinstance(value, (bytes, bytearray, ctypes.Array)):
        value = bytes(value).hex()
    print(f"{key}={value}", flush=True)


def step(name, fn, *args):
    try:
        return fn(*args)
    except OSError as e:
        raise Step(name, e.errno) from None


def unhex(s, n):
    b = bytes.fromhex(s)
    if len(b) != n:
        raise ValueError(f"need {n} bytes of hex, got {len(b)}")
    return b


# ---------------------------------------------------------------- TDX
def tdreport(reportdata):
    fd = step("open", os.open, "/dev/tdx_guest", os.O_RDWR | os.O_CLOEXEC)
    try:
        req = tdx_report_req()
        ctypes.memmove(req.reportdata, reportdata, TDX_REPORTDATA_LEN)
        step("ioctl", fcntl.ioctl, fd, TDX_CMD_GET_REPORT0, req, True)
    finally:
        os.close(fd)
    return bytes(req.tdreport)


def c_tdreport(hexdata):
    out("cmd", f"{TDX_CMD_GET_REPORT0:#010x}")
    rep = tdreport(unhex(hexdata, TDX_REPORTDATA_LEN))
    out("ioctl", 0)
    out("report_type", f"{rep[0]:#04x}")
    out("reportdata", rep[TDREPORT_REPORTDATA:TDREPORT_REPORTDATA + 64])
    out("tdreport", rep)


def read_rtmr(idx):
    path = f"{TDX_MEASUREMENTS}/rtmr{idx}:sha384"
    with step("open_rtmr", open, path, "rb", 0) as f:
        return step("read_rtmr", f.read, 48)


def c_rtmr(idx, hexdata):
    data = unhex(hexdata, 48)
    out("rtmr_old", read_rtmr(idx))
    # the ABI document: writes start at offset 0 and are exactly 48 bytes
    fd = step("open_extend", os.open, f"{TDX_MEASUREMENTS}/rtmr{idx}:sha384", os.O_WRONLY)
    try:
        n = step("extend", os.write, fd, data)
    finally:
        os.close(fd)
    out("extend", n)
    out("rtmr_new", read_rtmr(idx))
    rep = tdreport(bytes(64))
    off = TDINFO_RTMR0 + 48 * int(idx)
    out("tdreport_rtmr", rep[off:off + 48])


# ---------------------------------------------------------------- SEV-SNP
def snp_request(fd, cmd, req, resp):
    """one guest request; returns the header (its exitinfo2 as the kernel left it)"""
    hdr = snp_guest_request_ioctl()
    hdr.msg_version = 1
    hdr.req_data = ctypes.addressof(req)
    hdr.resp_data = ctypes.addressof(resp)
    hdr.exitinfo2 = 0
    try:
        fcntl.ioctl(fd, cmd, hdr, True)
        return hdr, 0
    except OSError as e:
        return hdr, e.errno


def print_msg_report_rsp(resp):
    raw = bytes(resp.data)
    status = int.from_bytes(raw[0:4], "little")
    size = int.from_bytes(raw[4:8], "little")
    out("status", f"{status:#x}")
    out("report_size", size)
    if status != 0 or not 0 < size <= len(raw) - MSG_REPORT_RSP_REPORT:
        raise Step("msg_report_rsp", errno.EPROTO)
    report = raw[MSG_REPORT_RSP_REPORT:MSG_REPORT_RSP_REPORT + size]
    out("report_data", report[SNP_REPORT_DATA:SNP_REPORT_DATA + 64])
    out("report", report)


def c_snp_report(hexdata):
    out("cmd", f"{SNP_GET_REPORT:#010x}")
    fd = step("open", os.open, "/dev/sev-guest", os.O_RDWR | os.O_CLOEXEC)
    try:
        req, resp = snp_report_req(), snp_report_resp()
        ctypes.memmove(req.user_data, unhex(hexdata, 64), 64)
        req.vmpl = 0
        hdr, err = snp_request(fd, SNP_GET_REPORT, req, resp)
        if err:
            out("exitinfo2", f"{hdr.exitinfo2:#x}")
            raise Step("ioctl", err)
        out("ioctl", 0)
        print_msg_report_rsp(resp)
    finally:
        os.close(fd)


def c_snp_ext(hexdata):
    """Documentation/virt/coco/sev-guest.rst, SNP_GET_EXT_REPORT: when the certificate
    buffer is too small the ioctl fails, exitinfo2 carries SNP_GUEST_VMM_ERR_INVALID_LEN
    in its upper half and certs_len is set to the size needed; ask with certs_len 0 first."""
    out("cmd", f"{SNP_GET_EXT_REPORT:#010x}")
    fd = step("open", os.open, "/dev/sev-guest", os.O_RDWR | os.O_CLOEXEC)
    try:
        req, resp = snp_ext_report_req(), snp_report_resp()
        ctypes.memmove(req.data.user_data, unhex(hexdata, 64), 64)
        req.certs_address = 0
        req.certs_len = 0
        hdr, err = snp_request(fd, SNP_GET_EXT_REPORT, req, resp)
        out("first_errno", ename(err) if err else 0)
        out("first_exitinfo2", f"{hdr.exitinfo2:#x}")
        out("first_vmm_error", hdr.vmm_error)
        out("first_fw_error", hdr.fw_error)
        out("certs_len", req.certs_len)
        if err == 0:
            # no certificates on this host: the report came back already
            out("ioctl", 0)
            print_msg_report_rsp(resp)
            out("certs", "")
            return
        if err != errno.EIO or hdr.vmm_error != SNP_GUEST_VMM_ERR_INVALID_LEN or req.certs_len == 0:
            raise Step("query", err)
        certs = ctypes.create_string_buffer(req.certs_len)
        req.certs_address = ctypes.addressof(certs)
        resp = snp_report_resp()
        hdr, err = snp_request(fd, SNP_GET_EXT_REPORT, req, resp)
        if err:
            out("exitinfo2", f"{hdr.exitinfo2:#x}")
            raise Step("ioctl", err)
        out("ioctl", 0)
        print_msg_report_rsp(resp)
        out("certs", certs.raw[:req.certs_len])
    finally:
        os.close(fd)


# ---------------------------------------------------------------- configfs-tsm
def read_text(path, name):
    with step(name, open, path, "r") as f:
        return step(name, f.read)


def read_bin(path, name):
    with step(name, open, path, "rb") as f:
        return step(name, f.read)


def c_configfs(hexdata, name):
    inblob = unhex(hexdata, 64)
    entry = os.path.join(TSM_REPORT, name)
    step("mkdir", os.mkdir, entry)
    out("mkdir", 0)
    try:
        out("provider", read_text(entry + "/provider", "provider").rstrip("\n"))
        g0 = int(read_text(entry + "/generation", "generation"))
        out("gen_before", g0)
        with step("inblob", open, entry + "/inblob", "wb", 0) as f:
            step("inblob", f.write, inblob)
        g1 = int(read_text(entry + "/generation", "generation"))
        out("gen_after_write", g1)
        out("outblob", read_bin(entry + "/outblob", "outblob"))
        if os.path.exists(entry + "/auxblob"):
            out("auxblob", read_bin(entry + "/auxblob", "auxblob"))
        g2 = int(read_text(entry + "/generation", "generation"))
        out("gen_after_read", g2)
    finally:
        try:
            os.rmdir(entry)
            out("rmdir", 0)
        except OSError as e:
            out("rmdir", ename(e.errno))


def main(argv):
    cmds = {"tdreport": (c_tdreport, 1), "rtmr": (c_rtmr, 2), "snp-report": (c_snp_report, 1),
            "snp-ext": (c_snp_ext, 1), "configfs": (c_configfs, 2)}
    if len(argv) < 2 or argv[1] not in cmds or len(argv) != 2 + cmds[argv[1]][1]:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    fn = cmds[argv[1]][0]
    try:
        fn(*argv[2:])
    except ValueError as e:
        print(f"pyclient: {e}", file=sys.stderr)
        return 2
    except Step as s:
        out(s.step, ename(s.err))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
