"""Writes the broken-contract models of issue 14 (each a few hundred bytes), for ModelContractProbeTest.

    python3 src/test/resources/models/contract/make_contract_models.py

fixed.onnx   input fixed at [1,3,256,256] (the contract needs dynamic H and W)
half.onnx    declares dynamic output dims but returns half the size (AveragePool, stride 2)
nan.onnx     returns the input times NaN: every value is NaN
inf.onnx     returns the input plus infinity
nan-big.onnx returns NaN only where the input is above 254 (white) (a picture-dependent failure that the
             probe at session open cannot see)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, nodes, inits, in_shape, out_shape):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, out_shape)],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="pastiche-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))


dyn = [1, 3, "H", "W"]
save("fixed", [helper.make_node("Identity", ["input"], ["output"])], [], [1, 3, 256, 256], [1, 3, 256, 256])
save("half", [helper.make_node("AveragePool", ["input"], ["output"], kernel_shape=[2, 2], strides=[2, 2])], [],
     dyn, [1, 3, "H2", "W2"])
save("nan", [helper.make_node("Mul", ["input", "k"], ["output"])],
     [numpy_helper.from_array(np.array([np.nan], dtype=np.float32), "k")], dyn, dyn)
save("inf", [helper.make_node("Add", ["input", "k"], ["output"])],
     [numpy_helper.from_array(np.array([np.inf], dtype=np.float32), "k")], dyn, dyn)
# where(input > 254, NaN, input)
save("nan-big", [helper.make_node("Greater", ["input", "t"], ["mask"]),
                 helper.make_node("Where", ["mask", "k", "input"], ["output"])],
     [numpy_helper.from_array(np.array([254], dtype=np.float32), "t"),
      numpy_helper.from_array(np.array([np.nan], dtype=np.float32), "k")], dyn, dyn)
