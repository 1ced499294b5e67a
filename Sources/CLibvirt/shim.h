#ifndef KENNEL_CLIBVIRT_SHIM_H
#define KENNEL_CLIBVIRT_SHIM_H
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#endif
