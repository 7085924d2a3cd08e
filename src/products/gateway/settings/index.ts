export * from './model.js';
export { createGatewaySettings, applyPatch, type GatewaySettingsService, type SettingsPatch } from './service.js';
export { registerSettingsRoutes, registerPaymentModesRoute } from './routes.js';
export { paymentModesDetails, settingsToWire } from './schemas.js';
