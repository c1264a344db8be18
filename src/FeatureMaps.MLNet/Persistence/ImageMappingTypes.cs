using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace FeatureMaps.MLNet.Persistence;

/// <summary>
/// Generates, per contract, the row types and the <see cref="CustomMappingFactory{TSrc, TDst}"/> that
/// ML.NET's custom mapping needs.
/// </summary>
/// <remarks>
/// ML.NET reads a custom mapping's column names and vector sizes from attributes of its row types and
/// finds the mapping again after loading by the factory's contract name; both are fixed at compile time.
/// The image size and column names of <c>LoadAndResize</c> are chosen at run time, so the types are
/// emitted at run time: the pixel column gets <c>[VectorType(h, w, c)]</c> and the factory gets the
/// contract name that encodes every option. The same contract always yields equivalent types, so a
/// pipeline saved in one process loads in another after <see cref="FeatureMapsModel.RegisterFeatureMaps(MLContext, string)"/>.
/// </remarks>
internal static class ImageMappingTypes
{
    private static readonly ConcurrentDictionary<string, Generated> Cache = new();
    private static int _assemblyCounter;

    internal sealed record Generated(Assembly Assembly, Type Source, Type Destination, Type Factory);

    public static Generated For(ImageMappingContract contract) => Cache.GetOrAdd(contract.Encode(), name => Emit(name, contract));

    /// <summary>Makes the custom-mapping estimator for <paramref name="contract"/> through ML.NET's public generic API.</summary>
    public static IEstimator<ITransformer> CreateEstimator(TransformsCatalog catalog, ImageMappingContract contract)
    {
        var generated = For(contract);
        var name = contract.Encode();
        var mapping = typeof(ImageMapping).GetMethod(nameof(ImageMapping.Create))!.MakeGenericMethod(generated.Source, generated.Destination).Invoke(null, [name])!;
        var customMapping = typeof(CustomMappingCatalog).GetMethods()
            .Single(m => m.Name == nameof(CustomMappingCatalog.CustomMapping) && m.GetGenericArguments().Length == 2)
            .MakeGenericMethod(generated.Source, generated.Destination);
        return (IEstimator<ITransformer>)customMapping.Invoke(null, [catalog, mapping, name, null, null])!;
    }

    private static Generated Emit(string name, ImageMappingContract contract)
    {
        var assemblyName = new AssemblyName($"FeatureMaps.Generated.ImageMapping{Interlocked.Increment(ref _assemblyCounter)}");
        var assembly = AssemblyBuilder.DefineDynamicAssembly(assemblyName, AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule(assemblyName.Name!);

        var source = DefineRow(module, "ImagePathRow", typeof(IImagePathRow),
            [(nameof(IImagePathRow.Path), typeof(string), contract.InputColumn, null)]);
        var destination = DefineRow(module, "ImageTensorRow", typeof(IImageTensorRow),
            [(nameof(IImageTensorRow.Pixels), typeof(float[]), contract.OutputColumn, [contract.Height, contract.Width, contract.Channels]),
             (nameof(IImageTensorRow.Error), typeof(string), contract.ErrorColumn, null)]);

        var factoryBase = typeof(CustomMappingFactory<,>).MakeGenericType(source, destination);
        var factory = module.DefineType("ImageMappingFactory", TypeAttributes.Public | TypeAttributes.Sealed, factoryBase);
        factory.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(CustomMappingFactoryAttributeAttribute).GetConstructor([typeof(string)])!, [name]));
        factory.DefineDefaultConstructor(MethodAttributes.Public);
        var getMapping = factory.DefineMethod(nameof(CustomMappingFactory<object, object>.GetMapping),
            MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig,
            typeof(Action<,>).MakeGenericType(source, destination), Type.EmptyTypes);
        var il = getMapping.GetILGenerator();
        il.Emit(OpCodes.Ldstr, name);
        il.Emit(OpCodes.Call, typeof(ImageMapping).GetMethod(nameof(ImageMapping.Create))!.MakeGenericMethod(source, destination));
        il.Emit(OpCodes.Ret);
        factory.DefineMethodOverride(getMapping, factoryBase.GetMethod(nameof(CustomMappingFactory<object, object>.GetMapping))!);

        return new Generated(assembly, source, destination, factory.CreateType());
    }

    private static Type DefineRow(ModuleBuilder module, string typeName, Type contract, (string Property, Type Type, string Column, int[]? Dims)[] properties)
    {
        var type = module.DefineType(typeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
        type.AddInterfaceImplementation(contract);
        type.DefineDefaultConstructor(MethodAttributes.Public);
        const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.Final |
                                          MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.NewSlot;
        foreach (var (name, propertyType, column, dims) in properties)
        {
            var field = type.DefineField("_" + name, propertyType, FieldAttributes.Private);
            var property = type.DefineProperty(name, PropertyAttributes.None, propertyType, null);
            property.SetCustomAttribute(new CustomAttributeBuilder(typeof(ColumnNameAttribute).GetConstructor([typeof(string)])!, [column]));
            if (dims is not null)
                property.SetCustomAttribute(new CustomAttributeBuilder(typeof(VectorTypeAttribute).GetConstructor([typeof(int[])])!, [dims]));

            var getter = type.DefineMethod("get_" + name, accessor, propertyType, Type.EmptyTypes);
            var il = getter.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Ret);
            property.SetGetMethod(getter);
            type.DefineMethodOverride(getter, contract.GetProperty(name)!.GetMethod!);

            var setter = type.DefineMethod("set_" + name, accessor, null, [propertyType]);
            il = setter.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Stfld, field);
            il.Emit(OpCodes.Ret);
            property.SetSetMethod(setter);
            if (contract.GetProperty(name)!.SetMethod is { } interfaceSetter)
                type.DefineMethodOverride(setter, interfaceSetter);
        }
        return type.CreateType();
    }
}
