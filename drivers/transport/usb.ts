/// <reference types="w3c-web-usb" />
import type { WebUSB } from 'usb';
import { err, ok, type Result } from '../shared/result.ts';
import { TransportListeners } from './listeners.ts';
import type { Transport } from './transport.ts';

type UsbDevice = NonNullable<Awaited<ReturnType<WebUSB['findDeviceByIds']>>>;

/** Largest bulk read asked for at once; a reply line is short, a 64-byte packet multiple is enough. */
const USB_READ_LENGTH = 512;
/** Pause before reading again after a read failed without the device being gone (a stall, a reset). */
const USB_READ_RETRY_MS = 50;

/** The device's first interface with a bulk IN and a bulk OUT endpoint (printer class or vendor class). */
function findBulkPipe(
  device: UsbDevice,
): { interfaceNumber: number; inEndpoint: number; outEndpoint: number } | undefined {
  for (const iface of device.configuration?.interfaces ?? []) {
    const endpoints = iface.alternate.endpoints;
    const inEp = endpoints.find((e) => e.type === 'bulk' && e.direction === 'in');
    const outEp = endpoints.find((e) => e.type === 'bulk' && e.direction === 'out');
    if (inEp && outEp) {
      return {
        interfaceNumber: iface.interfaceNumber,
        inEndpoint: inEp.endpointNumber,
        outEndpoint: outEp.endpointNumber,
      };
    }
  }
  return undefined;
}

class UsbTransport implements Transport {
  private readonly listeners = new TransportListeners();
  private readonly stopWatching: () => void;

  constructor(
    webusb: WebUSB,
    private readonly device: UsbDevice,
    private readonly pipe: { interfaceNumber: number; inEndpoint: number; outEndpoint: number },
  ) {
    const onDisconnect = (ev: Event): void => {
      if ((ev as Event & { device?: UsbDevice }).device === device) this.shutDown('disconnected');
    };
    webusb.addEventListener('disconnect', onDisconnect);
    this.stopWatching = () => webusb.removeEventListener('disconnect', onDisconnect);
    void this.readLoop();
  }

  get isOpen(): boolean {
    return !this.listeners.closed;
  }

  async write(bytes: Uint8Array): Promise<Result<void, string>> {
    if (!this.isOpen) return err('closed');
    try {
      const r = await this.device.transferOut(this.pipe.outEndpoint, bytes.slice());
      return r.status === 'ok' ? ok(undefined) : err(`transfer ${r.status}`);
    } catch (e) {
      return err((e as Error).message);
    }
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.listeners.onClose(listener);
  }

  async close(): Promise<void> {
    await this.shutDown('closed');
  }

  private async readLoop(): Promise<void> {
    while (this.isOpen) {
      try {
        const r = await this.device.transferIn(this.pipe.inEndpoint, USB_READ_LENGTH);
        if (r.data && r.data.byteLength > 0) {
          this.listeners.emitData(
            new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength).slice(),
          );
        }
        if (r.status === 'stall') await this.device.clearHalt('in', this.pipe.inEndpoint);
      } catch {
        if (!this.device.opened) return this.shutDown('disconnected');
        await new Promise((res) => setTimeout(res, USB_READ_RETRY_MS));
      }
    }
  }

  private async shutDown(reason: string): Promise<void> {
    if (this.listeners.closed) return;
    this.listeners.emitClose(reason);
    this.stopWatching();
    try {
      await this.device.releaseInterface(this.pipe.interfaceNumber);
      await this.device.close();
    } catch {
      // Already gone (unplugged): nothing left to release.
    }
  }
}

/**
 * Opens a USB device through the `usb` package's WebUSB API and talks to its first bulk IN/OUT pair,
 * which is how card printers present the same byte stream as their serial port. Without ids, the
 * first device with a bulk pipe is taken. Not found, busy or no permission: `err(message)`.
 */
export async function openUsbTransport(
  filter: { vendorId?: number; productId?: number } = {},
): Promise<Result<Transport, string>> {
  // Loaded with the first USB device, not at every start (a kiosk on serial or the simulator has none).
  const { WebUSB: WebUsbApi } = await import('usb');
  const webusb = new WebUsbApi({ allowAllDevices: true });
  try {
    const devices = await webusb.getDevices();
    const device = devices.find(
      (d) =>
        (filter.vendorId === undefined || d.vendorId === filter.vendorId) &&
        (filter.productId === undefined || d.productId === filter.productId),
    );
    if (!device) return err('usb device not found');
    await device.open();
    if (!device.configuration) await device.selectConfiguration(1);
    const pipe = findBulkPipe(device);
    if (!pipe) {
      await device.close();
      return err('usb device has no bulk in/out pipe');
    }
    await device.claimInterface(pipe.interfaceNumber);
    return ok(new UsbTransport(webusb, device, pipe));
  } catch (e) {
    return err((e as Error).message);
  }
}
