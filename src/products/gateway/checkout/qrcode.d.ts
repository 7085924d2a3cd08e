// The part of qrcode 1.5.4's API the gateway uses (the package ships no types; @types/qrcode is not a dependency).
declare module 'qrcode' {
  interface QRCodeToBufferOptions {
    type?: 'png';
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    margin?: number;
    width?: number;
  }
  export function toBuffer(text: string, options?: QRCodeToBufferOptions): Promise<Buffer>;
  export function toString(text: string, options: Omit<QRCodeToBufferOptions, 'type'> & { type: 'svg' }): Promise<string>;
  const QRCode: { toBuffer: typeof toBuffer; toString: typeof toString };
  export default QRCode;
}
