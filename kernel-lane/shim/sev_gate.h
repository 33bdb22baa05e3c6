/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sev_gate.h - part of the -include headers of sev-guest.c (sev_shim.h for 6.x, sev7_shim.h
 * for 7.x): the SEV-SNP gate of probe and the "sev-guest" platform device that
 * arch/x86/coco/sev registers on an SNP guest (sev_common.c).
 */
#include <linux/cc_platform.h>
#define cc_platform_has teeabi_shim_cc_platform_has
bool teeabi_shim_cc_platform_has(enum cc_attr attr);
/* module_platform_driver_probe() expands platform_driver_probe(); its arguments differ by
 * version (7.x adds the module name), so the macro is the one renamed */
#include <linux/platform_device.h>
#undef platform_driver_probe
#define platform_driver_probe(drv, probe) teeabi_shim_platform_driver_probe(drv, probe)
int teeabi_shim_platform_driver_probe(struct platform_driver *drv, int (*probe)(struct platform_device *));
#define platform_driver_unregister teeabi_shim_platform_driver_unregister
void teeabi_shim_platform_driver_unregister(struct platform_driver *drv);
